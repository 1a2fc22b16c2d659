import { fireEvent, screen } from "@testing-library/react";
import { expect, it, vi } from "vitest";
import { fakeApi } from "../../test/api";
import { renderWithApp } from "../../test/render";
import { KeyForm } from "./KeyForm";

it("hands over the trimmed key and refuses an empty one", () => {
  const onKey = vi.fn();
  renderWithApp(<KeyForm onKey={onKey} />, { fetch: fakeApi({}).fetch });
  const button = screen.getByRole("button", { name: "Use key" }) as HTMLButtonElement;
  expect(button.disabled).toBe(true);
  fireEvent.change(screen.getByLabelText("API key"), { target: { value: "  tw_abc  " } });
  fireEvent.click(button);
  expect(onKey).toHaveBeenCalledWith("tw_abc");
});
