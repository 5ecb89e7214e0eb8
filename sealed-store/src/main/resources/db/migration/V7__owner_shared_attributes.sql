-- The coarse attributes an owner chose to share so that researchers' cohort filters can select on
-- them (age band, administrative sex, ISO 3166 region). Each is optional: null = not shared, and an
-- owner who shares nothing has no row. Plaintext on purpose: they are what eligibility is decided
-- on, never health values, and the owner chose to share each one.
create table owner_shared_attributes (
    owner_id   uuid        primary key references owner on delete cascade,
    age_band   text,
    sex        text,
    region     text,
    updated_at timestamptz not null
);
