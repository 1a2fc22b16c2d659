/** A strategy's versions, newest first, and a side-by-side diff of any two of them. */
import { Badge, Button, Group, Loader, NativeSelect, Paper, Stack, Table, Text, Title, VisuallyHidden } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "../../app/Page";
import { useFormat } from "../../i18n/format";
import { useLoadVersion, useVersionDocument, useVersions } from "./api";
import { DiffView } from "./DiffView";
import { pretty, type StrategyDoc } from "./model";

export function History({ strategyId, latest, onEdit }: { strategyId: string; latest: number; onEdit: (document: StrategyDoc, version: number) => void }) {
  const { t } = useTranslation("strategies");
  const format = useFormat();
  const versions = useVersions(strategyId);
  const load = useLoadVersion(strategyId);
  const [before, setBefore] = useState<number | null>(latest > 1 ? latest - 1 : null);
  const [after, setAfter] = useState<number | null>(latest);
  const [seen, setSeen] = useState(latest);
  if (seen !== latest) {
    // a new save: compare it with the one before
    setSeen(latest);
    setAfter(latest);
    setBefore(latest > 1 ? latest - 1 : latest);
  }
  const a = useVersionDocument(strategyId, before);
  const b = useVersionDocument(strategyId, after);
  const items = versions.data?.items ?? [];
  const options = items.map((v) => ({
    value: String(v.version),
    label: t("history.versionOption", { version: v.version, date: format.dateTime(v.created_at) }),
  }));
  return (
    <Stack gap="sm">
      <Paper p="sm" component="section" aria-labelledby="versions-title">
        <Title order={3} fz="h5" id="versions-title" mb="xs">
          {t("history.versions")}
        </Title>
        {versions.error && <ErrorAlert error={versions.error} />}
        {load.error && <ErrorAlert error={load.error} />}
        {versions.isPending && <Loader size="sm" aria-label={t("loading")} />}
        {items.length > 0 && (
          <Table.ScrollContainer minWidth={420} scrollAreaProps={{ viewportProps: { tabIndex: 0, role: "region", "aria-label": t("history.versions") } }}>
            <Table aria-label={t("history.versions")}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t("history.version")}</Table.Th>
                  <Table.Th scope="col">{t("history.name")}</Table.Th>
                  <Table.Th scope="col">{t("history.note")}</Table.Th>
                  <Table.Th scope="col">{t("history.created")}</Table.Th>
                  <Table.Th scope="col">
                    <VisuallyHidden>{t("history.actions")}</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((v) => (
                  <Table.Tr key={v.version} data-testid={`version-${v.version}`}>
                    <Table.Td className="tw-num">
                      <Group gap={4} wrap="nowrap" justify="flex-end">
                        {v.version === latest && (
                          <Badge size="xs" variant="light">
                            {t("history.latest")}
                          </Badge>
                        )}
                        {format.integer(v.version)}
                      </Group>
                    </Table.Td>
                    <Table.Td translate="no">{v.name}</Table.Td>
                    <Table.Td translate="no">{v.note ?? ""}</Table.Td>
                    <Table.Td className="tw-num">{format.dateTime(v.created_at)}</Table.Td>
                    <Table.Td ta="right">
                      {v.version !== latest && (
                        <Button
                          size="compact-xs"
                          variant="light"
                          loading={load.isPending && load.variables === v.version}
                          aria-label={t("history.editFromLabel", { version: v.version })}
                          onClick={() => load.mutate(v.version, { onSuccess: (found) => onEdit(found.document, v.version) })}
                        >
                          {t("history.editFrom")}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
      <Paper p="sm" component="section" aria-labelledby="diff-title">
        <Title order={3} fz="h5" id="diff-title" mb="xs">
          {t("history.compare")}
        </Title>
        {items.length < 2 ? (
          <Text size="sm" c="dimmed">
            {t("history.oneVersion")}
          </Text>
        ) : (
          <>
            <Group gap="sm" mb="sm" align="flex-end" wrap="wrap">
              <NativeSelect
                size="xs"
                label={t("history.before")}
                value={before === null ? "" : String(before)}
                onChange={(e) => setBefore(Number(e.currentTarget.value))}
                data={options}
                style={{ flex: "1 1 12rem" }}
              />
              <NativeSelect
                size="xs"
                label={t("history.after")}
                value={after === null ? "" : String(after)}
                onChange={(e) => setAfter(Number(e.currentTarget.value))}
                data={options}
                style={{ flex: "1 1 12rem" }}
              />
            </Group>
            {(a.error || b.error) && <ErrorAlert error={a.error ?? b.error} />}
            {a.data && b.data ? (
              <DiffView
                before={pretty(a.data.document)}
                after={pretty(b.data.document)}
                beforeLabel={t("history.versionN", { version: before })}
                afterLabel={t("history.versionN", { version: after })}
              />
            ) : (
              <Loader size="sm" aria-label={t("loading")} />
            )}
          </>
        )}
      </Paper>
    </Stack>
  );
}
