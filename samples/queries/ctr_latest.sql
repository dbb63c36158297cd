-- One row per contact: its newest version. Connect re-publishes a CTR on every update, so counts must use this view.
-- It carries the partition columns year, month, day: filter on them to read only those days' partitions.
SELECT
  contact_id,
  fingerprint,
  channel,
  initiation_method,
  initiation_timestamp,
  connected_to_system_timestamp,
  disconnect_timestamp,
  last_update_timestamp,
  disconnect_reason,
  queue_name,
  queue_arn,
  queue_duration,
  queue_enqueue_timestamp,
  queue_dequeue_timestamp,
  agent_username,
  agent_arn,
  agent_connected_timestamp,
  agent_interaction_duration,
  agent_customer_hold_duration,
  agent_after_contact_work_duration,
  agent_number_of_holds,
  customer_endpoint,
  system_endpoint,
  previous_contact_id,
  next_contact_id,
  initial_contact_id,
  instance_arn,
  aws_account_id,
  attributes,
  raw_ctr,
  pii_key_version,
  year,
  month,
  day
FROM (
  SELECT
    c.*,
    -- Every version of a contact carries the same InitiationTimestamp, which the partition is derived from, so
    -- all of them live in one year/month/day partition: adding the partition keys to PARTITION BY changes no rank.
    -- It is what lets a filter on year/month/day through the view reach the table (Athena pushes a predicate below
    -- a window only on its PARTITION BY columns), so such a query reads only the matching partitions.
    row_number() OVER (
      PARTITION BY c.year, c.month, c.day, c.contact_id
      ORDER BY c.last_update_timestamp DESC NULLS LAST, c.fingerprint DESC
    ) AS version_rank
  FROM ctr AS c
) AS ranked
WHERE version_rank = 1
ORDER BY initiation_timestamp, contact_id
