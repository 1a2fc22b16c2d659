import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app/App";
import { Providers } from "./app/Providers";
import { createQueryClient } from "./app/queryClient";
import { loadConfig } from "./config";
import { createI18n } from "./i18n";
import "./styles.css";

const i18n = createI18n();
const queryClient = createQueryClient();
const root = createRoot(document.getElementById("root")!);

Promise.all([loadConfig(), i18n.ready]).then(
  ([config]) =>
    root.render(
      <StrictMode>
        <Providers i18n={i18n} queryClient={queryClient}>
          <App config={config} />
        </Providers>
      </StrictMode>,
    ),
  (error: Error) => {
    const message = document.createElement("p");
    message.setAttribute("role", "alert");
    message.textContent = `${i18n.t("errors.config", { defaultValue: "Cannot load /config.json:" })} ${error.message}`;
    document.getElementById("root")!.replaceChildren(message);
  },
);
