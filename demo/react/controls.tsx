/** The scenarios of the demo backend's /api/connect-token, as the CDN page's menu lists them. */
export const SCENARIOS = [
  ["normal", "Normal"],
  ["expired", "Expired token"],
  ["invalid", "Invalid token"],
  ["missing", "Missing token"],
  ["down", "Backend down"],
] as const;

export interface ControlsProps {
  /** The signed-in user's id, `undefined` until /api/me answers. */
  userId: string | undefined;
  scenario: string;
  onScenario(scenario: string): void;
  /** `"new"` or `"returning"`, as /api/sign-in takes it. */
  onSwitchUser(as: string): void;
}

/** Who is signed in, the user switch and the scenario menu (the Connect button follows them). */
export function Controls({ userId, scenario, onScenario, onSwitchUser }: ControlsProps) {
  return (
    <>
      <p>
        Signed in as <strong data-testid="user">{userId ?? "…"}</strong>
      </p>
      <label htmlFor="user-switch">User</label>
      <select id="user-switch" value="" onChange={(event) => event.target.value && onSwitchUser(event.target.value)}>
        <option value="">Choose…</option>
        <option value="new">New user</option>
        <option value="returning">Returning user</option>
      </select>
      <label htmlFor="scenario">Scenario</label>
      <select id="scenario" value={scenario} onChange={(event) => onScenario(event.target.value)}>
        {SCENARIOS.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </>
  );
}
