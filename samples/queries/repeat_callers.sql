-- Callers with more than one call in a day range, by customer_endpoint: its pseudonym (hmac:...) unless ctrLake:piiMode is keep; no rows when it is drop.
-- A call is counted once however many contacts it spans (transfers share InitialContactId); calls the centre made
-- (OUTBOUND) are not calls from the customer. The range is UTC days of InitiationTimestamp, on the partition
-- columns: narrow the two dates below to the days wanted.
SELECT
  caller,
  count(*) AS calls,
  min(call_day) AS first_day,
  max(call_day) AS last_day
FROM (
  SELECT
    customer_endpoint AS caller,
    coalesce(initial_contact_id, contact_id) AS call_id,
    min(year || '-' || month || '-' || day) AS call_day
  FROM ctr_latest
  WHERE customer_endpoint IS NOT NULL
    AND customer_endpoint <> ''
    AND coalesce(initiation_method, '') <> 'OUTBOUND'
    AND (year || '-' || month || '-' || day) BETWEEN '2000-01-01' AND '2999-12-31'
  GROUP BY customer_endpoint, coalesce(initial_contact_id, contact_id)
) AS caller_calls
GROUP BY caller
HAVING count(*) > 1
ORDER BY calls DESC, caller
