-- For the query side (query-api): browsing lists by region is a prefix match on the division code.
create index subjects_division on subjects (division_code text_pattern_ops);
-- Name search by prefix (the only index-served match for a two-character query: trigrams need three).
create index subject_names_prefix on subject_names (name text_pattern_ops);

-- Two-character Chinese words (科技, 智联, 食品) are the commonest searches and have no trigram. Every name's
-- bigrams, in a GIN index, serve "names containing this two-character word" the way pg_trgm serves longer queries.
create function name_bigrams(name text) returns text[] language sql immutable strict parallel safe as $$
  select coalesce(array_agg(distinct substr(name, i, 2)), '{}')
    from generate_series(1, greatest(char_length(name) - 1, 0)) as i
$$;
create index subject_names_bigrams on subject_names using gin (name_bigrams(name));
