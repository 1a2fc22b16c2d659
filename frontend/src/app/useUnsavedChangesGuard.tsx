/** Keep typed work from being lost by leaving its page. While `dirty`:
 *
 * - a navigation inside the app to another page (a link, the navigation, back/forward) is held by
 *   the data router's `useBlocker` and a dialog asks whether to stay or to leave and discard;
 * - closing or reloading the tab asks the browser's own question (`beforeunload`).
 *
 * Render the returned `prompt` in the page. A form that navigates away itself after saving (to the
 * new object's page) calls `release()` first: that navigation goes through although the fields
 * still hold what was just saved. Moving within the page (its query string or hash) is never held.
 * One guard per page: the router holds one blocker at a time (a page of several forms guards them
 * together, with one dirty flag). */
import { type ReactElement, useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { type BlockerFunction, useBlocker } from "react-router";
import { ConfirmModal } from "./ConfirmModal";

const IDLE = { isPending: false, error: null, reset: () => {} };

/** Whether `value` differs from what it was on the first render (compared as JSON): the dirty flag
 * of a form whose fields start from fixed values. */
export function useChanged(value: unknown): boolean {
  const [first] = useState(() => JSON.stringify(value));
  return JSON.stringify(value) !== first;
}

export function useUnsavedChangesGuard(dirty: boolean): { prompt: ReactElement; release: () => void } {
  const { t } = useTranslation();
  const dirtyNow = useRef(dirty);
  const released = useRef(false);
  useEffect(() => {
    dirtyNow.current = dirty;
  }, [dirty]);

  const shouldBlock = useCallback<BlockerFunction>(({ currentLocation, nextLocation }) => {
    if (!dirtyNow.current || currentLocation.pathname === nextLocation.pathname) return false;
    if (released.current) {
      released.current = false;
      return false;
    }
    return true;
  }, []);
  const blocker = useBlocker(shouldBlock);

  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = ""; // what Chromium still looks at
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  const release = useCallback(() => {
    released.current = true;
  }, []);

  const prompt = (
    <ConfirmModal
      opened={blocker.state === "blocked"}
      onClose={() => blocker.reset?.()}
      title={t("unsaved.title")}
      confirmLabel={t("unsaved.leave")}
      cancelLabel={t("unsaved.stay")}
      onConfirm={() => blocker.proceed?.()}
      mutation={IDLE}
      showError={false}
    >
      {t("unsaved.body")}
    </ConfirmModal>
  );
  return { prompt, release };
}
