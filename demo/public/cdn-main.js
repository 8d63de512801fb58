import { setupDemo } from "./app.js";

setupDemo(window.HumanConnectKit);
