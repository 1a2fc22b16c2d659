import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, expect, it, vi } from "vitest";
import { KeyForm } from "./KeyForm";

afterEach(cleanup);

it("hands over the trimmed key and refuses an empty one", () => {
  const onKey = vi.fn();
  render(<KeyForm onKey={onKey} />);
  const button = screen.getByRole("button", { name: "Use key" }) as HTMLButtonElement;
  expect(button.disabled).toBe(true);
  fireEvent.change(screen.getByLabelText("API key"), { target: { value: "  tw_abc  " } });
  fireEvent.click(button);
  expect(onKey).toHaveBeenCalledWith("tw_abc");
});
