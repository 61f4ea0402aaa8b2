// Starts GOV.UK Frontend's components (error summary focus, checkboxes, details…) and Safeboard's own.
import { initAll } from "../vendor/govuk/govuk-frontend.min.js";
import { initListStatus } from "./list-status.mjs";
import { initPersonPickers } from "./person-picker.mjs";
import { initRegisters } from "./register.mjs";

initAll();
initPersonPickers();
initListStatus();
initRegisters();
