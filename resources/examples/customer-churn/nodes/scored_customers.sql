SELECT count(*) FROM predictions
