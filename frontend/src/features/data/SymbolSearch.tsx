import { Autocomplete, type AutocompleteProps, Badge, Group, Text } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { IconSearch } from "@tabler/icons-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useSymbolSearch } from "./useData";

interface SymbolSearchProps {
  label: string;
  description?: string;
  /** Called with the picked symbol (upper case), from the list or typed and confirmed with Enter. */
  onPick: (symbol: string) => void;
  /** Empty the box after a pick (adding to a list) or keep it (opening a chart). */
  clearOnPick?: boolean;
  error?: string;
  disabled?: boolean;
  style?: AutocompleteProps["style"];
}

/** A symbol box that suggests the symbols of the tenant's ready datasets (GET /symbols?q=). */
export function SymbolSearch({ label, description, onPick, clearOnPick = false, error, disabled, style }: SymbolSearchProps) {
  const { t } = useTranslation("data");
  const [value, setValue] = useState("");
  const [debounced] = useDebouncedValue(value, 150);
  const search = useSymbolSearch(debounced, 20);
  const items = search.data?.items ?? [];
  const synthetic = new Map(items.map((item) => [item.symbol, item]));

  const pick = (symbol: string) => {
    const clean = symbol.trim().toUpperCase();
    if (!clean) return;
    onPick(clean);
    setValue(clean);
    // Autocomplete writes the picked option into the box after this handler: empty it afterwards.
    if (clearOnPick) setTimeout(() => setValue(""), 0);
  };

  return (
    <Autocomplete
      label={label}
      description={description}
      placeholder={t("search.placeholder")}
      leftSection={<IconSearch size={16} aria-hidden />}
      value={value}
      onChange={setValue}
      onOptionSubmit={pick}
      onKeyDown={(event) => {
        // Enter on a typed symbol with no option highlighted: take what was typed.
        if (event.key === "Enter" && !event.currentTarget.getAttribute("aria-activedescendant")) {
          event.preventDefault();
          pick(value);
        }
      }}
      data={items.map((item) => item.symbol)}
      filter={({ options }) => options}
      limit={20}
      maxDropdownHeight={280}
      error={error}
      disabled={disabled}
      autoComplete="off"
      spellCheck={false}
      style={style}
      comboboxProps={{ withinPortal: true }}
      renderOption={({ option }) => {
        const item = synthetic.get(option.value);
        return (
          <Group gap={6} wrap="nowrap" justify="space-between" w="100%">
            <Text size="sm" fw={600} translate="no">
              {option.value}
            </Text>
            <Group gap={4} wrap="nowrap">
              {item?.description && (
                <Text size="xs" c="dimmed" truncate maw={160} translate="no">
                  {item.description}
                </Text>
              )}
              {item?.synthetic && (
                <Badge size="xs" variant="light" color="gray">
                  {t("synthetic")}
                </Badge>
              )}
            </Group>
          </Group>
        );
      }}
    />
  );
}
