/** A provider in the sandbox's Connect app: fictional, with a fixed 24-hex-digit id. */
export interface SandboxProvider {
  /** A fixed id of 24 hex digits, as Human API's source ids look. */
  id: string;
  /** The name shown and reported, e.g. "Starfleet Pharmacy". */
  name: string;
  /** What kind of provider it is (shown, and searched). */
  kind: "pharmacy" | "clinic" | "lab" | "health system" | "hospital";
  /** Where it is (shown, and searched). */
  city: string;
}

/** The built-in providers (replace them with `startSandbox({ providers })`). */
export const DEFAULT_PROVIDERS: readonly SandboxProvider[] = [
  { id: "5b1daf3f079c652eaf41fd23", name: "Starfleet Pharmacy", kind: "pharmacy", city: "San Francisco" },
  { id: "54dc427aaa6b4cb7d6203061", name: "Cleveland Clinic", kind: "clinic", city: "Cleveland" },
  { id: "60a1c0de5eed000000000001", name: "Vulcan Science Labs", kind: "lab", city: "ShiKahr" },
  { id: "60a1c0de5eed000000000002", name: "Sickbay Health System", kind: "health system", city: "Riverside" },
  { id: "60a1c0de5eed000000000003", name: "Deep Space Nine Infirmary", kind: "clinic", city: "Bajor" },
  { id: "60a1c0de5eed000000000004", name: "Ten Forward Pharmacy", kind: "pharmacy", city: "Seattle" },
  { id: "60a1c0de5eed000000000005", name: "Holodeck Diagnostics", kind: "lab", city: "Boston" },
  { id: "60a1c0de5eed000000000006", name: "Bayview Community Hospital", kind: "hospital", city: "Bayview" },
  { id: "60a1c0de5eed000000000007", name: "Maple Grove Family Clinic", kind: "clinic", city: "Maple Grove" },
  { id: "60a1c0de5eed000000000008", name: "Riverbend Health Partners", kind: "health system", city: "Riverbend" },
  { id: "60a1c0de5eed000000000009", name: "Northwind Pharmacy", kind: "pharmacy", city: "Portland" },
  { id: "60a1c0de5eed00000000000a", name: "Summit Imaging & Labs", kind: "lab", city: "Denver" },
  { id: "60a1c0de5eed00000000000b", name: "Lakeside Medical Center", kind: "hospital", city: "Madison" },
  { id: "60a1c0de5eed00000000000c", name: "Cedar Valley Pediatrics", kind: "clinic", city: "Cedar Valley" },
  { id: "60a1c0de5eed00000000000d", name: "Harborview Health System", kind: "health system", city: "Harborview" },
  { id: "60a1c0de5eed00000000000e", name: "Sunrise Apothecary", kind: "pharmacy", city: "Phoenix" },
  { id: "60a1c0de5eed00000000000f", name: "Pinecrest Pathology Lab", kind: "lab", city: "Pinecrest" },
  { id: "60a1c0de5eed000000000010", name: "Golden Gate Cardiology", kind: "clinic", city: "San Francisco" },
  { id: "60a1c0de5eed000000000011", name: "Blue Ridge Regional Hospital", kind: "hospital", city: "Asheville" },
  { id: "60a1c0de5eed000000000012", name: "Meadowlark Women's Health", kind: "clinic", city: "Wichita" },
  { id: "60a1c0de5eed000000000013", name: "Prairie State Health Network", kind: "health system", city: "Springfield" },
  { id: "60a1c0de5eed000000000014", name: "Coastal Compounding Pharmacy", kind: "pharmacy", city: "Charleston" },
  { id: "60a1c0de5eed000000000015", name: "Ironwood Reference Laboratory", kind: "lab", city: "Tucson" },
  { id: "60a1c0de5eed000000000016", name: "Silver Lake Orthopedics", kind: "clinic", city: "Los Angeles" },
];
