import { bundle } from "./collect";

/** Every English translation, one chunk loaded only when English is shown. */
export default bundle(
  import.meta.glob("../locales/en.json", { eager: true, import: "default" }),
  import.meta.glob("../../features/*/locales/en.json", { eager: true, import: "default" }),
);
