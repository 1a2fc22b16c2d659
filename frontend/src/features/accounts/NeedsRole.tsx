import { Alert, Tooltip, VisuallyHidden } from "@mantine/core";
import { cloneElement, type MouseEvent, type ReactElement, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { type Role, useCan } from "./account";

/**
 * A control the current role may not use is disabled, with a tooltip naming the role it needs:
 * `<NeedsRole role="researcher"><Button type="submit">Run</Button></NeedsRole>`. The API refuses the
 * call anyway (403); this only says so before the click.
 */
type Disableable = { disabled?: boolean; onClickCapture?: (event: MouseEvent) => void };

/** A disabled link (`<Button component={Link}>`) would still navigate: its click is cancelled too. */
const cancel = (event: MouseEvent) => event.preventDefault();

export function NeedsRole({ role, children }: { role: Role; children: ReactElement<Disableable> }) {
  const allowed = useCan(role);
  const { t } = useTranslation("accounts");
  if (allowed) return children;
  const label = t("roles.needed", { role: t(`roles.${role}`) });
  return (
    <Tooltip label={label}>
      {/* A disabled button gets no pointer or focus events: the wrapper carries the tooltip. */}
      <span tabIndex={0} data-needs-role={role} style={{ display: "inline-block" }}>
        {cloneElement(children, { disabled: true, onClickCapture: cancel })}
        <VisuallyHidden>{label}</VisuallyHidden>
      </span>
    </Tooltip>
  );
}

/** A page only `role` may use (its reads are refused too, e.g. the Audit page for admins): anyone
 * else sees which role it needs rather than the API's 403. See `lazyPage(load, role)`. */
export function RoleGate({ role, children }: { role: Role; children: ReactNode }) {
  const allowed = useCan(role);
  const { t } = useTranslation("accounts");
  if (allowed) return children;
  return (
    <Alert color="yellow" title={t("roles.pageNeeded", { role: t(`roles.${role}`) })} data-needs-role={role} role="status">
      {t("roles.pageNeededHint")}
    </Alert>
  );
}
