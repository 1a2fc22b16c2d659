import { lazy, Suspense } from "react";

const AccountMenus = lazy(() => import("./AccountMenus"));

/** The header's organisation switcher and user menu, in their own chunk (see ./AccountMenus). */
export function AccountMenu() {
  return (
    <Suspense fallback={null}>
      <AccountMenus />
    </Suspense>
  );
}
