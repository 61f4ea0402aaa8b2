// Starts GOV.UK Frontend's components (error summary focus, checkboxes, details…).
import { initAll } from "../vendor/govuk/govuk-frontend.min.js";

initAll();
