-- A screening hit's match explanation as data (issue 20): which names matched, how the
-- customer's name was rewritten, the words and the evidence, as JSON (`HitExplanation`), for
-- the app to word in the user's language. NULL on hits found before: they show `explanation`.
ALTER TABLE screening_hit ADD COLUMN explanation_detail TEXT;
