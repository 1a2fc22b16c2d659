import { Button, Group, Modal, Stack, Text } from "@mantine/core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useErrorMessage } from "./Page";

/** The part of a TanStack mutation the dialog shows and resets. */
interface Pending {
  isPending: boolean;
  error: unknown;
  reset: () => void;
}

/**
 * Confirm before a destructive action (delete, revoke): a Mantine Modal with a title, the consequences,
 * the server's refusal (role="alert") and Cancel / confirm; the close button and Cancel are named in
 * the common namespace. Closing resets the mutation so a refusal does not linger into the next open
 * (unless the caller shows the error itself: `showError={false}`).
 *
 * Import it only from pages (lazy chunks), not from feature.ts.
 */
export function ConfirmModal({
  opened,
  onClose,
  title,
  children,
  confirmLabel,
  cancelLabel,
  onConfirm,
  mutation,
  showError = true,
}: {
  opened: boolean;
  onClose: () => void;
  title: ReactNode;
  /** The consequences (a string becomes a small paragraph). */
  children: ReactNode;
  confirmLabel: ReactNode;
  /** The way back (default: Cancel). */
  cancelLabel?: ReactNode;
  /** Run the action; call `close` when it succeeded to close the dialog. */
  onConfirm: (close: () => void) => void;
  mutation: Pending;
  /** False when the caller shows the mutation's error itself (then closing leaves it for the caller to show). */
  showError?: boolean;
}) {
  const { t: common } = useTranslation();
  const errorMessage = useErrorMessage();
  const close = () => {
    if (showError) mutation.reset();
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title={title} closeButtonProps={{ "aria-label": common("actions.close") }}>
      <Stack gap="sm">
        {typeof children === "string" ? <Text size="sm">{children}</Text> : children}
        {showError && !!mutation.error && (
          <Text c="var(--tw-error)" size="sm" role="alert">
            {errorMessage(mutation.error)}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            {cancelLabel ?? common("actions.cancel")}
          </Button>
          <Button color="red" loading={mutation.isPending} onClick={() => onConfirm(close)}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
