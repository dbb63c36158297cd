-- Fingerprints stored more than once. The pipeline guarantees none: this query must return no rows.
SELECT
  fingerprint,
  count(*) AS copies
FROM ctr
WHERE initiation_timestamp IS NOT NULL
  -- {{AND in local days}}
GROUP BY fingerprint
HAVING count(*) > 1
ORDER BY copies DESC, fingerprint
