-- Contacts that waited in a queue and never reached an agent. No customer phone numbers in the output.
SELECT
  contact_id,
  channel,
  queue_name,
  initiation_timestamp,
  queue_enqueue_timestamp,
  queue_dequeue_timestamp,
  queue_duration,
  disconnect_reason
FROM ctr_latest
WHERE queue_enqueue_timestamp IS NOT NULL
  AND agent_connected_timestamp IS NULL
  -- {{AND in local days}}
ORDER BY initiation_timestamp, contact_id
