import { useTranslation } from "react-i18next";
import { ApiProblem } from "../api/client";

/** The readable message of any error a query or mutation threw: the server's own words for an API
 * problem, a translated sentence for a network failure. */
export function useErrorMessage(): (error: unknown) => string {
  const { t } = useTranslation();
  return (error: unknown) => {
    if (error instanceof ApiProblem) return error.message;
    if (error instanceof TypeError) return t("errors.network");
    return error instanceof Error && error.message ? error.message : t("errors.unknown");
  };
}
