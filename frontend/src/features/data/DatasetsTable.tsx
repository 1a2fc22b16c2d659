import { Anchor, Badge, Button, Group, Table, Text, VisuallyHidden } from "@mantine/core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Dataset } from "../../api/client";
import { ConfirmModal } from "../../app/ConfirmModal";
import { DASH, useFormat } from "../../i18n/format";
import { useTopics } from "../realtime/RealtimeProvider";
import { StatusBadge } from "./DatasetStatus";
import { SETTLED, useDeleteDataset } from "./useData";
import { NeedsRole } from "../accounts/NeedsRole";

/** The tenant's datasets, dense: status live for those still importing. */
export function DatasetsTable({ datasets }: { datasets: Dataset[] }) {
  const { t } = useTranslation("data");
  const format = useFormat();
  const [deleting, setDeleting] = useState<Dataset | null>(null);
  useTopics(datasets.filter((d) => !SETTLED.has(d.status)).map((d) => `dataset:${d.dataset_id}`));
  if (!datasets.length)
    return (
      <Text c="dimmed" size="sm">
        {t("datasets.empty")}
      </Text>
    );
  return (
    <>
      <Table.ScrollContainer minWidth={860}>
        <Table aria-label={t("datasets.title")}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t("datasets.name")}</Table.Th>
              <Table.Th scope="col">{t("datasets.status")}</Table.Th>
              <Table.Th scope="col" ta="right">
                {t("datasets.symbols")}
              </Table.Th>
              <Table.Th scope="col" ta="right">
                {t("datasets.rows")}
              </Table.Th>
              <Table.Th scope="col">{t("datasets.range")}</Table.Th>
              <Table.Th scope="col">{t("datasets.created")}</Table.Th>
              <Table.Th scope="col">
                <VisuallyHidden>{t("datasets.actions")}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {datasets.map((dataset) => (
              <Table.Tr key={dataset.dataset_id} data-testid={`dataset-${dataset.dataset_id}`}>
                <Table.Th scope="row" fw={500} miw={200} maw={320}>
                  <Group gap={6} wrap="nowrap">
                    <Anchor component={Link} to={`/data/datasets/${dataset.dataset_id}`} size="sm" translate="no">
                      {dataset.name}
                    </Anchor>
                    {dataset.synthetic && (
                      <Badge size="xs" variant="light" color="gray" miw="max-content">
                        {t("synthetic")}
                      </Badge>
                    )}
                  </Group>
                </Table.Th>
                <Table.Td style={{ whiteSpace: "nowrap" }}>
                  <StatusBadge status={dataset.status} />
                </Table.Td>
                <Table.Td className="tw-num">{format.integer(dataset.symbols_count)}</Table.Td>
                <Table.Td className="tw-num">{format.integer(dataset.rows)}</Table.Td>
                <Table.Td className="tw-num" style={{ textAlign: "left" }}>
                  {dataset.start ? t("datasets.rangeValue", { start: format.date(dataset.start), end: format.date(dataset.end) }) : DASH}
                </Table.Td>
                <Table.Td className="tw-num" style={{ textAlign: "left" }}>
                  {format.date(dataset.created_at)}
                </Table.Td>
                <Table.Td ta="right">
                  <NeedsRole role="researcher">
                    <Button
                      size="compact-xs"
                      color="red"
                      variant="subtle"
                      onClick={() => setDeleting(dataset)}
                      aria-label={t("delete.label", { name: dataset.name })}
                    >
                      {t("delete.action")}
                    </Button>
                  </NeedsRole>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <DeleteDatasetModal dataset={deleting} onClose={() => setDeleting(null)} />
    </>
  );
}

/** Confirm, then delete a dataset (its objects and symbol rows go with it). */
export function DeleteDatasetModal({ dataset, onClose, onDeleted }: { dataset: Dataset | null; onClose: () => void; onDeleted?: () => void }) {
  const { t } = useTranslation("data");
  const remove = useDeleteDataset();
  return (
    <ConfirmModal
      opened={!!dataset}
      onClose={onClose}
      title={t("delete.title", { name: dataset?.name ?? "" })}
      confirmLabel={t("delete.confirm")}
      mutation={remove}
      onConfirm={(close) =>
        dataset &&
        remove.mutate(dataset.dataset_id, {
          onSuccess: () => {
            close();
            onDeleted?.();
          },
        })
      }
    >
      {t("delete.body")}
    </ConfirmModal>
  );
}
