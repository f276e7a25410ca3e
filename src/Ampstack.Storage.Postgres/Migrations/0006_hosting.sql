-- Version 6: Amplify Hosting's settings of an app (description, platform, repository, environment variables, tags,
-- branches), as one JSON document beside the Admin API's columns; null for apps whose settings nobody changed.
ALTER TABLE apps ADD COLUMN hosting TEXT NULL;
