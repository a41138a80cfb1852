-- The alerts the service has sent (xunjian serve): one row per event and channel while the event
-- lasts, so that each is sent once; an event that has ended loses its rows.
CREATE TABLE alerts (
    kind    TEXT NOT NULL,
    key     TEXT NOT NULL,
    channel TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    PRIMARY KEY (key, channel)
);
