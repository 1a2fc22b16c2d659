/** `/commands`: the catalogue of safe operations — each with a form generated from its parameter
 * schema — a run's live log (`job.log` on `job:<id>`), and the recent runs (jobs of kind `command`). */
import { Accordion, Anchor, Badge, Button, Grid, Group, Paper, Stack, Table, Text, Title } from "@mantine/core";
import { type ReactNode, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ApiProblem } from "../../api/client";
import { ErrorAlert, PageHeader, useErrorMessage } from "../../app/Page";
import { useFormat } from "../../i18n/format";
import { useJob, useJobLog } from "../jobs/api";
import { STATUS_COLORS } from "../jobs/JobRow";
import { LogLines } from "../jobs/LogLines";
import { type Command, useCatalogue, useCommandRuns, useRunCommand } from "./api";
import { SchemaForm } from "./SchemaForm";
import { initialValues, type JsonSchema, toParams, type Values } from "./schema";
import { NeedsRole } from "../accounts/NeedsRole";

/** The server's messages for `params.<field>`, keyed by the field. */
export function paramErrors(error: unknown): Record<string, string[]> {
  if (!(error instanceof ApiProblem)) return {};
  const found: Record<string, string[]> = {};
  for (const [path, messages] of Object.entries(error.byField())) {
    const [first, name] = path.split(".");
    if (first === "params" && name) (found[name] ??= []).push(...messages);
  }
  return found;
}

/** A catalogue command's title or description in the reader's language; the server's text (not
 * translated) for a command the app does not know yet. */
export function useCommandText() {
  const { t, i18n } = useTranslation("commands");
  const plain = (command: Command, part: "title" | "description"): string =>
    i18n.exists(`commands:items.${command.name}.${part}`) ? t(`items.${command.name}.${part}`) : command[part];
  const shown = (command: Command, part: "title" | "description"): ReactNode =>
    i18n.exists(`commands:items.${command.name}.${part}`) ? plain(command, part) : <span translate="no">{command[part]}</span>;
  return { plain, shown };
}

function CommandForm({ command, onStarted }: { command: Command; onStarted: (jobId: string) => void }) {
  const { t } = useTranslation("commands");
  const schema = command.params_schema as JsonSchema;
  const text = useCommandText();
  const [values, setValues] = useState<Values>(() => initialValues(schema));
  const run = useRunCommand();
  const message = useErrorMessage();
  const errors = paramErrors(run.error);
  const located = Object.keys(errors).length > 0;
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        run.mutate({ name: command.name, params: toParams(values) }, { onSuccess: (job) => onStarted(job.job_id) });
      }}
      aria-label={t("formLabel", { title: text.plain(command, "title") })}
    >
      <Stack gap="sm">
        <Text size="sm">{text.shown(command, "description")}</Text>
        <SchemaForm schema={schema} values={values} onChange={setValues} errors={errors} idPrefix={`cmd-${command.name}`} />
        {run.error && !located ? (
          <Text size="sm" c="red" role="alert">
            {message(run.error)}
          </Text>
        ) : null}
        <Group>
          <NeedsRole role="researcher">
            <Button type="submit" loading={run.isPending} data-testid={`run-${command.name}`}>
              {t("run")}
            </Button>
          </NeedsRole>
        </Group>
      </Stack>
    </form>
  );
}

export function RunLog({ jobId }: { jobId: string }) {
  const { t } = useTranslation("commands");
  const job = useJob(jobId);
  const log = useJobLog(jobId);
  const status = job.data?.status;
  return (
    <Paper p="md" component="section" aria-labelledby="run-title" data-testid="command-run">
      <Group justify="space-between" mb="sm" wrap="wrap">
        <Title order={2} fz="h4" id="run-title">
          {t("currentRun")}
        </Title>
        <Group gap="xs">
          {status && (
            <Badge color={STATUS_COLORS[status] ?? "gray"} variant="light" data-testid="command-run-status">
              {t(`statuses.${status}`)}
            </Badge>
          )}
          <Anchor component={Link} to={`/jobs/${jobId}`} size="sm">
            {t("openJob")}
          </Anchor>
        </Group>
      </Group>
      {job.data?.error && (
        <Text c="red" size="sm" role="alert" mb="xs" style={{ overflowWrap: "anywhere" }}>
          {job.data.error}
        </Text>
      )}
      {log.error ? <ErrorAlert error={log.error} /> : null}
      <LogLines lines={log.lines} label={t("log")} maxHeight={320} />
    </Paper>
  );
}

function RecentRuns({ onOpen }: { onOpen: (jobId: string) => void }) {
  const { t } = useTranslation("commands");
  const format = useFormat();
  const runs = useCommandRuns();
  const items = runs.data?.items ?? [];
  return (
    <Paper p="md" component="section" aria-labelledby="runs-title">
      <Title order={2} fz="h4" id="runs-title" mb="sm">
        {t("recentRuns")}
      </Title>
      {runs.error ? <ErrorAlert error={runs.error} /> : null}
      {runs.isSuccess && items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t("noRuns")}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={320}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("columns.command")}</Table.Th>
                <Table.Th>{t("columns.status")}</Table.Th>
                <Table.Th>{t("columns.created")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((job) => (
                <Table.Tr key={job.job_id} data-testid="command-run-row">
                  <Table.Td>
                    <Anchor component="button" type="button" size="sm" onClick={() => onOpen(job.job_id)}>
                      {job.name || job.strategy_name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Badge size="sm" variant="light" color={STATUS_COLORS[job.status] ?? "gray"}>
                      {t(`statuses.${job.status}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td className="tw-num">{format.dateTime(job.created_at)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}

export function CommandsPage() {
  const { t } = useTranslation("commands");
  const catalogue = useCatalogue();
  const text = useCommandText();
  const [current, setCurrent] = useState<string | null>(null);
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      {catalogue.error ? <ErrorAlert error={catalogue.error} /> : null}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Paper p="md" component="section" aria-labelledby="catalogue-title">
            <Title order={2} fz="h4" id="catalogue-title" mb="sm">
              {t("catalogue")}
            </Title>
            <Accordion variant="separated" data-testid="command-catalogue">
              {(catalogue.data ?? []).map((command) => (
                <Accordion.Item key={command.name} value={command.name} data-testid="command-item">
                  <Accordion.Control>
                    <Text fw={500}>{text.shown(command, "title")}</Text>
                    <Text size="xs" c="dimmed" ff="monospace" translate="no">
                      {command.name}
                    </Text>
                  </Accordion.Control>
                  <Accordion.Panel>
                    <CommandForm command={command} onStarted={setCurrent} />
                  </Accordion.Panel>
                </Accordion.Item>
              ))}
            </Accordion>
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Stack gap="md">
            {current ? <RunLog key={current} jobId={current} /> : null}
            <RecentRuns onOpen={setCurrent} />
          </Stack>
        </Grid.Col>
      </Grid>
    </>
  );
}

export default CommandsPage;
