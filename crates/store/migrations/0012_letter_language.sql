-- A customer's letter language (issue 20, item 4): `en`, `zh-Hans`, `zh-Hant`, `en+zh-Hans` or
-- `en+zh-Hant`; NULL: the one the customer's country gives (enduse_domain::LetterLanguage).
ALTER TABLE customer ADD COLUMN letter_language TEXT;

-- A template's family: the templates that are one letter in different languages share it, and a
-- campaign sends each customer the family's template in the customer's letter language.
-- NULL on both: a template of its own, in English.
ALTER TABLE letter_template ADD COLUMN family TEXT;
ALTER TABLE letter_template ADD COLUMN language TEXT;
