// Starts GOV.UK Frontend's components (error summary focus, checkboxes, details…) and Safeboard's own.
import { initAll } from "../vendor/govuk/govuk-frontend.min.js";
import { initRegisters } from "./register.mjs";

initAll();
initRegisters();
