-- The owner app asks for the unread count on every page (the badge in the navigation): a partial
-- index over unread notices keeps that an index-only count however long the feed grows
-- (docs/decisions/045).
create index owner_notification_unread on owner_notification (owner_id, notice_id) where read_at is null;
