import { Badge, Group, Paper, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { Path } from "../model";
import { useBuilder } from "./context";

/** A titled part of the builder, with the number of problems under `path` beside its title. */
export function Section({ id, title, path, children, actions }: { id: string; title: string; path: Path; children: ReactNode; actions?: ReactNode }) {
  const { t } = useTranslation("strategies");
  const { problems } = useBuilder();
  const count = problems.count(path);
  return (
    <Paper p="sm" component="section" aria-labelledby={`${id}-title`}>
      <Group justify="space-between" mb="xs" gap="xs">
        <Group gap="xs">
          <Title order={3} fz="h5" id={`${id}-title`}>
            {title}
          </Title>
          {count > 0 && (
            <Badge color="red" variant="light" size="sm">
              {t("validation.count", { count })}
            </Badge>
          )}
        </Group>
        {actions}
      </Group>
      {children}
    </Paper>
  );
}

/** Problems located at `path` itself (the section as a whole, e.g. "at least one enabled rule"). */
export function SectionProblems({ path }: { path: Path }) {
  const { problems } = useBuilder();
  const own = problems.at(path);
  if (!own.length) return null;
  return (
    <Text size="xs" c="var(--tw-error)" mb="xs">
      {own.join("; ")}
    </Text>
  );
}
