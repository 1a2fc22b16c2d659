import { Tooltip, VisuallyHidden } from "@mantine/core";
import { cloneElement, type ReactElement } from "react";
import { useTranslation } from "react-i18next";
import { type Role, useCan } from "./account";

/**
 * A control the current role may not use is disabled, with a tooltip naming the role it needs:
 * `<NeedsRole role="researcher"><Button type="submit">Run</Button></NeedsRole>`. The API refuses the
 * call anyway (403); this only says so before the click.
 */
export function NeedsRole({ role, children }: { role: Role; children: ReactElement<{ disabled?: boolean }> }) {
  const allowed = useCan(role);
  const { t } = useTranslation("accounts");
  if (allowed) return children;
  const label = t("roles.needed", { role: t(`roles.${role}`) });
  return (
    <Tooltip label={label}>
      {/* A disabled button gets no pointer or focus events: the wrapper carries the tooltip. */}
      <span tabIndex={0} data-needs-role={role} style={{ display: "inline-block" }}>
        {cloneElement(children, { disabled: true })}
        <VisuallyHidden>{label}</VisuallyHidden>
      </span>
    </Tooltip>
  );
}
