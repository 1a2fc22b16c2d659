import { Badge, Button, Group, Paper, Select, Stack, Table, Text, TextInput, Title, VisuallyHidden } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiProblem, unwrap } from "../../api/client";
import { useApi } from "../../app/ApiContext";
import { ConfirmModal } from "../../app/ConfirmModal";
import { ErrorAlert, PageHeader, useErrorMessage } from "../../app/Page";
import { useFormat } from "../../i18n/format";
import { accountKeys, type Invitation, type Member, type Role, ROLES, useAccount, useCan } from "./account";
import { MyInvitations } from "./MyInvitations";
import { NeedsRole } from "./NeedsRole";

/** The organisation's people: members with their role (admins change it or remove them; the API
 * refuses to remove or demote the last admin, and its message is shown), invitations by email
 * (pending ones can be withdrawn), and the signed-in person's own invitations to other organisations. */
export default function MembersPage() {
  const { t } = useTranslation("accounts");
  const api = useApi();
  const admin = useCan("admin");
  const members = useQuery({
    queryKey: accountKeys.members,
    queryFn: () => unwrap(api.GET("/org/members", { params: { query: { limit: 200 } } })),
  });
  return (
    <Stack gap="md">
      <PageHeader title={t("members.title")} description={t("members.description")} />
      <MyInvitations api={api} />
      <Paper p="md" component="section" aria-labelledby="members-title">
        <Title order={2} fz="h4" id="members-title" mb="sm">
          {t("members.list")}
        </Title>
        {members.error && <ErrorAlert error={members.error} />}
        {members.data && <MemberTable members={members.data.items} />}
      </Paper>
      <Paper p="md" component="section" aria-labelledby="invite-title">
        <Title order={2} fz="h4" id="invite-title" mb="sm">
          {t("invitations.title")}
        </Title>
        <InviteForm />
        {admin && <PendingInvitations />}
      </Paper>
    </Stack>
  );
}

function useRoleOptions() {
  const { t } = useTranslation("accounts");
  return ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }));
}

function MemberTable({ members }: { members: Member[] }) {
  const { t } = useTranslation("accounts");
  const format = useFormat();
  const account = useAccount();
  const [removing, setRemoving] = useState<Member | null>(null);
  if (!members.length)
    return (
      <Text c="dimmed" size="sm">
        {t("members.empty")}
      </Text>
    );
  return (
    <>
      <Table.ScrollContainer minWidth={560}>
        <Table aria-label={t("members.list")}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t("members.email")}</Table.Th>
              <Table.Th scope="col">{t("members.role")}</Table.Th>
              <Table.Th scope="col" className="tw-num">
                {t("members.joined")}
              </Table.Th>
              <Table.Th scope="col">
                <VisuallyHidden>{t("members.actions")}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {members.map((member) => (
              <Table.Tr key={member.member_id} data-testid={`member-${member.email}`}>
                <Table.Th scope="row" fw={500}>
                  <span translate="no">{member.email}</span>{" "}
                  {member.member_id === account?.me.user_id && (
                    <Badge size="xs" variant="light" ml={4}>
                      {t("members.you")}
                    </Badge>
                  )}
                </Table.Th>
                <Table.Td>
                  <RoleSelect member={member} />
                </Table.Td>
                <Table.Td className="tw-num">{format.dateTime(member.joined_at)}</Table.Td>
                <Table.Td ta="right">
                  <NeedsRole role="admin">
                    <Button
                      size="compact-xs"
                      color="red"
                      variant="light"
                      onClick={() => setRemoving(member)}
                      aria-label={t("members.removeLabel", { email: member.email })}
                    >
                      {t("members.remove")}
                    </Button>
                  </NeedsRole>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <RemoveModal member={removing} onClose={() => setRemoving(null)} />
    </>
  );
}

/** A member's role: a select for admins (the change is saved at once; a refusal is shown under it). */
function RoleSelect({ member }: { member: Member }) {
  const { t } = useTranslation("accounts");
  const api = useApi();
  const queryClient = useQueryClient();
  const message = useErrorMessage();
  const options = useRoleOptions();
  const admin = useCan("admin");
  const change = useMutation({
    mutationFn: (role: Role) => unwrap(api.PATCH("/org/members/{member_id}", { params: { path: { member_id: member.member_id } }, body: { role } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: accountKeys.members }),
  });
  if (!admin) return <Text size="sm">{t(`roles.${member.role}`)}</Text>;
  return (
    <Select
      size="xs"
      w={150}
      data={options}
      value={change.isPending ? change.variables : member.role}
      allowDeselect={false}
      aria-label={t("members.roleOf", { email: member.email })}
      onChange={(value) => value && value !== member.role && change.mutate(value as Role)}
      error={change.error ? message(change.error) : undefined}
      disabled={change.isPending}
    />
  );
}

function RemoveModal({ member, onClose }: { member: Member | null; onClose: () => void }) {
  const { t } = useTranslation("accounts");
  const api = useApi();
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: (memberId: string) => unwrap(api.DELETE("/org/members/{member_id}", { params: { path: { member_id: memberId } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: accountKeys.members }),
  });
  return (
    <ConfirmModal
      opened={!!member}
      onClose={onClose}
      title={t("members.removeTitle", { email: member?.email ?? "" })}
      confirmLabel={t("members.removeConfirm")}
      mutation={remove}
      onConfirm={(close) => member && remove.mutate(member.member_id, { onSuccess: close })}
    >
      {t("members.removeBody")}
    </ConfirmModal>
  );
}

function InviteForm() {
  const { t } = useTranslation("accounts");
  const api = useApi();
  const queryClient = useQueryClient();
  const message = useErrorMessage();
  const options = useRoleOptions();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const invite = useMutation({
    mutationFn: () => unwrap(api.POST("/org/invitations", { body: { email: email.trim(), role } })),
    onSuccess: () => {
      setEmail("");
      return queryClient.invalidateQueries({ queryKey: accountKeys.invitations });
    },
  });
  const problem = invite.error instanceof ApiProblem ? invite.error : null;
  const atEmail = problem?.at("email") ?? [];
  const submit = (event: FormEvent) => {
    event.preventDefault();
    invite.mutate();
  };
  return (
    <form onSubmit={submit} aria-label={t("invitations.invite")} noValidate>
      <Group align="flex-start" gap="sm" mb="sm" wrap="wrap">
        <TextInput
          label={t("members.email")}
          type="email"
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
          error={atEmail.length ? atEmail.join("; ") : undefined}
          style={{ flex: "1 1 14rem" }}
        />
        <Select label={t("members.role")} data={options} value={role} allowDeselect={false} onChange={(value) => value && setRole(value as Role)} w={160} />
        <NeedsRole role="admin">
          <Button type="submit" mt={{ base: 0, xs: 24 }} loading={invite.isPending} disabled={!email.trim()}>
            {t("invitations.invite")}
          </Button>
        </NeedsRole>
      </Group>
      {invite.error && !atEmail.length && (
        <Text c="var(--tw-error)" size="sm" role="alert" mb="sm">
          {message(invite.error)}
        </Text>
      )}
      {invite.data && (
        <Text size="sm" c="dimmed" role="status" mb="sm">
          {t("invitations.sent", { email: invite.data.email })}
        </Text>
      )}
    </form>
  );
}

function PendingInvitations() {
  const { t } = useTranslation("accounts");
  const api = useApi();
  const format = useFormat();
  const [withdrawing, setWithdrawing] = useState<Invitation | null>(null);
  const queryClient = useQueryClient();
  const invitations = useQuery({ queryKey: accountKeys.invitations, queryFn: () => unwrap(api.GET("/org/invitations")) });
  const withdraw = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE("/org/invitations/{invitation_id}", { params: { path: { invitation_id: id } } })),
    onSettled: () => queryClient.invalidateQueries({ queryKey: accountKeys.invitations }),
  });
  if (invitations.error) return <ErrorAlert error={invitations.error} />;
  if (!invitations.data) return null;
  if (!invitations.data.length)
    return (
      <Text c="dimmed" size="sm">
        {t("invitations.empty")}
      </Text>
    );
  return (
    <>
      <Table.ScrollContainer minWidth={520}>
        <Table aria-label={t("invitations.pending")}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t("members.email")}</Table.Th>
              <Table.Th scope="col">{t("members.role")}</Table.Th>
              <Table.Th scope="col" className="tw-num">
                {t("invitations.expires")}
              </Table.Th>
              <Table.Th scope="col">
                <VisuallyHidden>{t("members.actions")}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {invitations.data.map((invitation) => (
              <Table.Tr key={invitation.invitation_id} data-testid={`invitation-${invitation.email}`}>
                <Table.Th scope="row" fw={500}>
                  <span translate="no">{invitation.email}</span>
                </Table.Th>
                <Table.Td>{t(`roles.${invitation.role}`)}</Table.Td>
                <Table.Td className="tw-num">{format.dateTime(invitation.expires_at)}</Table.Td>
                <Table.Td ta="right">
                  <Button
                    size="compact-xs"
                    variant="light"
                    color="red"
                    onClick={() => setWithdrawing(invitation)}
                    aria-label={t("invitations.withdrawLabel", { email: invitation.email })}
                  >
                    {t("invitations.withdraw")}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <ConfirmModal
        opened={!!withdrawing}
        onClose={() => setWithdrawing(null)}
        title={t("invitations.withdrawTitle", { email: withdrawing?.email ?? "" })}
        confirmLabel={t("invitations.withdraw")}
        mutation={withdraw}
        onConfirm={(close) => withdrawing && withdraw.mutate(withdrawing.invitation_id, { onSuccess: close })}
      >
        {t("invitations.withdrawBody")}
      </ConfirmModal>
    </>
  );
}
