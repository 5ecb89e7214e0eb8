-- A lease may select owners by the coarse attributes they chose to share (owner_shared_attributes):
-- age bands, sexes, regions; empty = no filter on that attribute. Kept so every query re-decides
-- with the same filter.
alter table lease
    add column cohort_age_bands text[] not null default '{}',
    add column cohort_sexes     text[] not null default '{}',
    add column cohort_regions   text[] not null default '{}';
