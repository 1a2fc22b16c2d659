import { QueryClient } from "@tanstack/react-query";
import { ApiProblem } from "../api/client";

/** The app's one QueryClient: data stays fresh for 15 s; client errors (4xx) are not retried. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        retry: (failures, error) => !(error instanceof ApiProblem && error.status < 500) && failures < 2,
      },
      mutations: { retry: false },
    },
  });
}
