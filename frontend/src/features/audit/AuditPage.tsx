import { Badge, Button, Code, Group, Paper, Stack, Table, Text, TextInput } from "@mantine/core";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert, PageHeader, useErrorMessage } from "../../app/Page";
import { useFormat } from "../../i18n/format";
import { type AuditEntry, type AuditFilters, queryErrors, useAuditPage, useExportAudit } from "./api";

const FIELDS = ["actor", "action", "target"] as const;

/** A UTC day (`2026-03-01`) as the start or the end of that day, in ISO 8601 with an offset. */
function dayBound(day: string, end: boolean): string | undefined {
  return day ? `${day}T${end ? "23:59:59.999" : "00:00:00"}Z` : undefined;
}

/** Who did what, when, with what outcome: the organisation's audit trail (admins). */
export function AuditPage() {
  const { t } = useTranslation("audit");
  const [draft, setDraft] = useState({ actor: "", action: "", target: "", since: "", until: "" });
  const [filters, setFilters] = useState<AuditFilters>({});
  const [tokens, setTokens] = useState<(string | null)[]>([null]);
  const page = useAuditPage(filters, tokens[tokens.length - 1]);
  const exportCsv = useExportAudit();
  const errorMessage = useErrorMessage();
  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilters({
      actor: draft.actor.trim(),
      action: draft.action.trim(),
      target: draft.target.trim(),
      since: dayBound(draft.since, false),
      until: dayBound(draft.until, true),
    });
    setTokens([null]);
  };
  const fieldError = (name: string) => {
    const messages = [...queryErrors(page.error, name), ...queryErrors(exportCsv.error, name)];
    return messages.length ? messages.join("; ") : undefined;
  };
  const located = [...FIELDS, "since", "until"].some((name) => fieldError(name));
  const next = page.data?.next_token ?? null;
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <Stack gap="md">
        <Paper p="md" component="form" onSubmit={apply} aria-label={t("filters")} noValidate>
          <Group align="flex-start" gap="sm" wrap="wrap">
            {FIELDS.map((name) => (
              <TextInput
                key={name}
                label={t(`fields.${name}`)}
                placeholder={t(`placeholders.${name}`)}
                value={draft[name]}
                onChange={(e) => setDraft({ ...draft, [name]: e.currentTarget.value })}
                error={fieldError(name)}
                style={{ flex: "1 1 12rem" }}
              />
            ))}
            <TextInput
              type="date"
              label={t("fields.since")}
              value={draft.since}
              onChange={(e) => setDraft({ ...draft, since: e.currentTarget.value })}
              error={fieldError("since")}
            />
            <TextInput
              type="date"
              label={t("fields.until")}
              value={draft.until}
              onChange={(e) => setDraft({ ...draft, until: e.currentTarget.value })}
              error={fieldError("until")}
            />
          </Group>
          <Group gap="sm" mt="sm">
            <Button type="submit">{t("apply")}</Button>
            <Button variant="default" loading={exportCsv.isPending} onClick={() => exportCsv.mutate(filters)}>
              {t("export")}
            </Button>
          </Group>
          {exportCsv.error && !located && (
            <Text c="var(--tw-error)" size="sm" role="alert" mt="sm">
              {errorMessage(exportCsv.error)}
            </Text>
          )}
        </Paper>
        {page.error && !located && <ErrorAlert error={page.error} />}
        {page.data && <AuditTable entries={page.data.items} />}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" disabled={tokens.length < 2} onClick={() => setTokens(tokens.slice(0, -1))}>
            {t("previous")}
          </Button>
          <Button variant="default" disabled={!next} onClick={() => next && setTokens([...tokens, next])}>
            {t("next")}
          </Button>
        </Group>
      </Stack>
    </>
  );
}

function AuditTable({ entries }: { entries: AuditEntry[] }) {
  const { t } = useTranslation("audit");
  const format = useFormat();
  if (!entries.length)
    return (
      <Text c="dimmed" size="sm">
        {t("empty")}
      </Text>
    );
  return (
    <Paper p="md">
      <Table.ScrollContainer minWidth={760} scrollAreaProps={{ viewportProps: { tabIndex: 0, role: "region", "aria-label": t("title") } }}>
        <Table aria-label={t("title")} verticalSpacing={4} fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t("columns.time")}</Table.Th>
              <Table.Th scope="col">{t("columns.actor")}</Table.Th>
              <Table.Th scope="col">{t("columns.action")}</Table.Th>
              <Table.Th scope="col">{t("columns.target")}</Table.Th>
              <Table.Th scope="col">{t("columns.outcome")}</Table.Th>
              <Table.Th scope="col">{t("columns.details")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {entries.map((entry) => (
              <Table.Tr key={entry.audit_id} data-testid={`audit-${entry.audit_id}`}>
                <Table.Td className="tw-num" style={{ whiteSpace: "nowrap" }}>
                  {format.dateTime(entry.created_at)}
                </Table.Td>
                <Table.Td translate="no">
                  <Code>{entry.actor}</Code>
                </Table.Td>
                <Table.Td translate="no">{entry.action}</Table.Td>
                <Table.Td translate="no">{entry.target_id ?? "—"}</Table.Td>
                <Table.Td>
                  <Badge size="sm" variant="light" color={entry.outcome === "success" ? "teal" : "red"}>
                    {t(`outcomes.${entry.outcome === "success" ? "success" : "failure"}`, { status: entry.status })}
                  </Badge>
                </Table.Td>
                <Table.Td translate="no">
                  <Text size="xs" c="dimmed" title={entry.request_id ?? undefined}>
                    {changed(entry) ?? `${entry.method} ${entry.path}`}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

/** The keys a settings change touched (the audit's diff summary), when the record has them. */
function changed(entry: AuditEntry): string | null {
  const keys = (entry.details as { changed?: unknown }).changed;
  return Array.isArray(keys) && keys.length ? keys.join(", ") : null;
}

export default AuditPage;
