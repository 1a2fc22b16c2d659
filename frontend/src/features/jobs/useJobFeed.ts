import { type Dispatch, type SetStateAction, useEffect, useRef } from "react";
import type { RealtimeClient } from "../../api/realtime";
import { applyJobMessage, isFinal, jobTopic, type TrackedJob } from "./jobState";

/** Follow every queued or running job on its `job:<id>` topic and apply what arrives; a job that
 * reaches a final status is unsubscribed (a connection holds at most 50 topics).
 *
 * Subscriptions change by difference only: the server may handle one connection's frames
 * concurrently, so unsubscribing everything and subscribing again could lose a topic. The
 * realtime client re-subscribes after a reconnect, and each subscribe brings the job's current
 * state as a snapshot, so nothing missed while disconnected stays missed. */
export function useJobFeed(realtime: RealtimeClient | null, jobs: TrackedJob[], setJobs: Dispatch<SetStateAction<TrackedJob[]>>): void {
  const held = useRef(new Set<string>());
  const liveKey = jobs
    .filter((job) => !isFinal(job.status))
    .map((job) => jobTopic(job.job_id))
    .join(",");

  useEffect(() => {
    if (!realtime) return;
    const off = realtime.onMessage((message) => {
      if (!message.topic?.startsWith("job:")) return;
      setJobs((current) => current.map((job) => (jobTopic(job.job_id) === message.topic ? applyJobMessage(job, message) : job)));
    });
    const topics = held.current;
    return () => {
      off();
      realtime.unsubscribe([...topics]);
      topics.clear();
    };
  }, [realtime, setJobs]);

  useEffect(() => {
    if (!realtime) return;
    const wanted = liveKey ? liveKey.split(",") : [];
    const topics = held.current;
    const removed = [...topics].filter((topic) => !wanted.includes(topic));
    const added = wanted.filter((topic) => !topics.has(topic));
    removed.forEach((topic) => topics.delete(topic));
    added.forEach((topic) => topics.add(topic));
    realtime.unsubscribe(removed);
    realtime.subscribe(added);
  }, [realtime, liveKey]);
}
