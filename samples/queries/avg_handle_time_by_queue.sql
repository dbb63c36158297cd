-- Average handle time (talk + hold + after-contact work, seconds) of the contacts an agent handled, per queue.
SELECT
  queue_name,
  count(*) AS handled_contacts,
  round(
    avg(
      coalesce(agent_interaction_duration, 0)
      + coalesce(agent_customer_hold_duration, 0)
      + coalesce(agent_after_contact_work_duration, 0)
    ),
    2
  ) AS avg_handle_time_seconds
FROM ctr_latest
WHERE queue_name IS NOT NULL
  AND agent_connected_timestamp IS NOT NULL
  -- {{AND in local days}}
GROUP BY queue_name
ORDER BY queue_name
