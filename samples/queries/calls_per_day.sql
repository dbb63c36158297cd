-- Calls per day and channel. A call spans several CTRs through transfers: count each call once, by its first contact.
SELECT
  cast(initiation_timestamp AS date) AS day,
  channel,
  count(DISTINCT coalesce(initial_contact_id, contact_id)) AS calls
FROM ctr_latest
GROUP BY cast(initiation_timestamp AS date), channel
ORDER BY day, channel
