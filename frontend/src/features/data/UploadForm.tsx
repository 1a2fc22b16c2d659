import { Anchor, Button, FileInput, Group, Paper, Progress, Select, Stack, Text, TextInput, Title } from "@mantine/core";
import { IconUpload } from "@tabler/icons-react";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ApiProblem } from "../../api/client";
import { useErrorMessage } from "../../app/Page";
import { useFormat } from "../../i18n/format";
import { useTopics } from "../realtime/RealtimeProvider";
import { ImportErrorAlert, StatusBadge } from "./DatasetStatus";
import { type DatasetFormat, formatOf, nameOf, UploadFailed } from "./upload";
import { useDataset, useUpload } from "./useData";
import { NeedsRole } from "../accounts/NeedsRole";

/** Upload a CSV or Parquet file: create, PUT with a byte progress bar, complete, then the import's
 * status live from `dataset:<id>` (and its error at its row and column). */
export function UploadForm() {
  const { t } = useTranslation("data");
  const errorMessage = useErrorMessage();
  const upload = useUpload();
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState("");
  const [format, setFormat] = useState<DatasetFormat>("csv");
  const [symbol, setSymbol] = useState("");
  const [timezone, setTimezone] = useState("");
  const [fileError, setFileError] = useState<string | null>(null);

  const problem = upload.error instanceof ApiProblem ? upload.error : null;
  const at = (field: string) => {
    const messages = problem?.at(field) ?? [];
    return messages.length ? messages.join("; ") : undefined;
  };
  const fieldErrors = { name: at("name"), format: at("format"), symbol: at("symbol"), timezone: at("timezone") };
  const located = Object.values(fieldErrors).some(Boolean);

  const choose = (chosen: File | null) => {
    setFile(chosen);
    setFileError(null);
    upload.reset();
    if (!chosen) return;
    const detected = formatOf(chosen.name);
    if (detected) setFormat(detected);
    if (!name.trim()) setName(nameOf(chosen.name));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!file) {
      setFileError(t("upload.fileRequired"));
      return;
    }
    upload.mutate({ file, name: name.trim(), format, symbol: symbol.trim() || undefined, timezone: timezone.trim() || undefined });
  };

  const progress = upload.progress;
  const busy = upload.isPending;
  const percent = progress && progress.total > 0 ? Math.round((progress.loaded / progress.total) * 100) : 0;

  return (
    <Paper p="md" component="section" aria-labelledby="upload-title">
      <Title order={2} fz="h4" id="upload-title" mb={4}>
        {t("upload.title")}
      </Title>
      <Text size="sm" c="dimmed" mb="md">
        {t("upload.description")}
      </Text>
      <form onSubmit={submit} aria-label={t("upload.title")} noValidate>
        <Stack gap="sm">
          <Group align="flex-start" gap="sm" wrap="wrap">
            <FileInput
              label={t("upload.file")}
              placeholder={t("upload.filePlaceholder")}
              accept=".csv,.parquet,.pq,text/csv,application/vnd.apache.parquet"
              value={file}
              onChange={choose}
              error={fileError}
              leftSection={<IconUpload size={16} aria-hidden />}
              // Drawn as text (not a real placeholder): it must read as well as any text (AA).
              styles={{ placeholder: { color: "var(--mantine-color-dimmed)" } }}
              clearable
              style={{ flex: "2 1 16rem", minWidth: 0 }}
              disabled={busy}
              withAsterisk
            />
            <TextInput
              label={t("upload.name")}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={fieldErrors.name}
              maxLength={128}
              style={{ flex: "2 1 14rem", minWidth: 0 }}
              disabled={busy}
              withAsterisk
            />
            <Select
              label={t("upload.format")}
              value={format}
              onChange={(value) => value && setFormat(value as DatasetFormat)}
              data={[
                { value: "csv", label: t("upload.formats.csv") },
                { value: "parquet", label: t("upload.formats.parquet") },
              ]}
              allowDeselect={false}
              error={fieldErrors.format}
              style={{ flex: "1 1 8rem", minWidth: 0 }}
              disabled={busy}
            />
          </Group>
          <Group align="flex-start" gap="sm" wrap="wrap">
            <TextInput
              label={t("upload.symbol")}
              description={t("upload.symbolHint")}
              value={symbol}
              onChange={(e) => setSymbol(e.currentTarget.value)}
              error={fieldErrors.symbol}
              maxLength={20}
              style={{ flex: "1 1 12rem", minWidth: 0 }}
              disabled={busy}
              spellCheck={false}
            />
            <TextInput
              label={t("upload.timezone")}
              description={t("upload.timezoneHint")}
              placeholder="UTC"
              value={timezone}
              onChange={(e) => setTimezone(e.currentTarget.value)}
              error={fieldErrors.timezone}
              style={{ flex: "1 1 12rem", minWidth: 0 }}
              disabled={busy}
              spellCheck={false}
            />
          </Group>
          <Group gap="sm">
            <NeedsRole role="researcher">
              <Button type="submit" loading={busy} leftSection={<IconUpload size={16} aria-hidden />}>
                {t("upload.submit")}
              </Button>
            </NeedsRole>
          </Group>
          {progress && (busy || upload.isSuccess) && (
            <Stack gap={4}>
              <Text size="sm" id="upload-progress-label">
                {t(`upload.phase.${upload.isSuccess ? "done" : progress.phase}`)}
              </Text>
              <UploadBar loaded={progress.loaded} total={progress.total} percent={upload.isSuccess ? 100 : percent} />
            </Stack>
          )}
          {upload.error && !located && (
            <Text c="var(--tw-error)" size="sm" role="alert">
              {upload.error instanceof UploadFailed ? t("upload.putFailed", { status: upload.error.status || "—" }) : errorMessage(upload.error)}
            </Text>
          )}
          {upload.data && <ImportStatus datasetId={upload.data.dataset_id} />}
        </Stack>
      </form>
    </Paper>
  );
}

function UploadBar({ loaded, total, percent }: { loaded: number; total: number; percent: number }) {
  const { t } = useTranslation("data");
  const format = useFormat();
  return (
    <>
      <Progress value={percent} size="lg" aria-labelledby="upload-progress-label" data-testid="upload-progress" />
      <Text size="xs" c="dimmed" className="tw-num">
        {t("upload.bytes", { loaded: format.integer(loaded), total: format.integer(total), percent: format.percent(percent / 100, 0) })}
      </Text>
    </>
  );
}

/** The uploaded dataset's import, live. */
function ImportStatus({ datasetId }: { datasetId: string }) {
  const { t } = useTranslation("data");
  const format = useFormat();
  useTopics([`dataset:${datasetId}`]);
  const dataset = useDataset(datasetId).data;
  if (!dataset) return null;
  return (
    <Stack gap="xs" data-testid="import-status" aria-live="polite">
      <Group gap="xs" wrap="wrap">
        <Text size="sm">{t("upload.importOf", { name: dataset.name })}</Text>
        <StatusBadge status={dataset.status} />
        {dataset.status === "ready" && (
          <Text size="sm" c="dimmed">
            {t("summary", {
              symbols: format.integer(dataset.symbols_count),
              rows: format.integer(dataset.rows),
              count: dataset.symbols_count,
            })}
          </Text>
        )}
        <Anchor component={Link} to={`/data/datasets/${datasetId}`} size="sm">
          {t("upload.open")}
        </Anchor>
      </Group>
      {dataset.error && <ImportErrorAlert error={dataset.error} />}
    </Stack>
  );
}
