import { bundle } from "./collect";

/** Every French translation, one chunk loaded only when French is shown. */
export default bundle(
  import.meta.glob("../locales/fr.json", { eager: true, import: "default" }),
  import.meta.glob("../../features/*/locales/fr.json", { eager: true, import: "default" }),
);
