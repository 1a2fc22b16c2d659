import { Alert, Button, Group, Stack, Text } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { type Api, unwrap } from "../../api/client";
import { useErrorMessage } from "../../app/Page";
import { useFormat } from "../../i18n/format";
import { accountKeys, useAccount } from "./account";

/** The signed-in person's pending invitations (from `GET /me`), each with Accept: they join that
 * organisation and the app switches to it. Nothing when there are none. */
export function MyInvitations({ api }: { api: Api }) {
  const { t } = useTranslation("accounts");
  const format = useFormat();
  const account = useAccount();
  const queryClient = useQueryClient();
  const message = useErrorMessage();
  const accept = useMutation({
    mutationFn: (invitationId: string) => unwrap(api.POST("/me/invitations/{invitation_id}/accept", { params: { path: { invitation_id: invitationId } } })),
    onSuccess: async (joined) => {
      await queryClient.invalidateQueries({ queryKey: accountKeys.me });
      account?.switchOrg(joined.org_id);
    },
  });
  const invitations = account?.me.invitations ?? [];
  if (!invitations.length)
    return account?.me.orgs.length ? null : (
      <Text size="sm" c="dimmed">
        {t("invitations.mineEmpty")}
      </Text>
    );
  return (
    <Stack gap="xs" component="section" aria-label={t("invitations.mine")}>
      {invitations.map((invitation) => (
        <Alert key={invitation.invitation_id} variant="light" color="indigo" data-testid={`my-invitation-${invitation.invitation_id}`}>
          <Group justify="space-between" wrap="wrap" gap="xs">
            <Text size="sm">
              {t("invitations.toJoin", { org: invitation.org_id, role: t(`roles.${invitation.role}`), until: format.dateTime(invitation.expires_at) })}
            </Text>
            <Button
              size="xs"
              loading={accept.isPending && accept.variables === invitation.invitation_id}
              onClick={() => accept.mutate(invitation.invitation_id)}
            >
              {t("invitations.accept")}
            </Button>
          </Group>
        </Alert>
      ))}
      {accept.error && (
        <Text c="var(--tw-error)" size="sm" role="alert">
          {message(accept.error)}
        </Text>
      )}
    </Stack>
  );
}
