//! Snapshots of rendered expressions, pinned in the top-level `snapshots/` directory.
//! CI runs with `INSTA_UPDATE=no`, so a changed rendering fails the build.

use std::collections::BTreeSet;

use awstin_core::{BinaryBuf, Error};
use awstin_core_tests::{Info, Movie, MovieByGenre, Shown, Thing};
use awstin_macros::{cond, project, update};

macro_rules! snap {
    ($name:literal, $shown:expr) => {{
        let text: String = $shown?.finish();
        insta::with_settings!({ snapshot_path => "../../snapshots", prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!($name, text);
        });
    }};
}

// ---- The Movies examples of the seed documentation --------------------------------------------

#[test]
fn seed_query_by_year() -> Result<(), Error> {
    let year = 1985;
    let key = Movie::expr(cond!(year == year));
    snap!("seed_query_by_year", Shown::new().key(&key));
    Ok(())
}

#[test]
fn seed_query_year_and_title_range() -> Result<(), Error> {
    let (year, title_range) = (1992, ("A", "L"));
    let (from, to) = title_range;
    let key = Movie::expr(cond!(year == year && title between from..to));
    snap!("seed_query_year_and_title_range", Shown::new().key(&key));
    Ok(())
}

#[test]
fn seed_scan_between_years() -> Result<(), Error> {
    let (from, to) = (1950, 1959);
    let filter = Movie::expr(cond!(year between from..=to));
    snap!("seed_scan_between_years", Shown::new().filter(&filter));
    Ok(())
}

#[test]
fn seed_update_rating_plot_actors() -> Result<(), Error> {
    let (rating, plot, actors) = (
        5.5,
        "Everything happens all at once.",
        vec!["Larry", "Moe", "Curly"],
    );
    let u = Movie::expr(update!(
        info.rating = rating,
        info.plot = plot,
        info.actors = actors
    ));
    snap!("seed_update_rating_plot_actors", Shown::new().update(&u));
    Ok(())
}

#[test]
fn seed_atomic_counter() -> Result<(), Error> {
    let rating_increase = 1;
    let u = Movie::expr(update!(info.rating = attr(info.rating) + rating_increase));
    snap!("seed_atomic_counter", Shown::new().update(&u));
    Ok(())
}

#[test]
fn seed_remove_first_actor_if_enough_actors() -> Result<(), Error> {
    let actor_count = 3;
    let u = Movie::expr(update!(remove(info.actors[0])));
    let c = Movie::expr(cond!(size(info.actors) >= actor_count));
    snap!(
        "seed_remove_first_actor_if_enough_actors",
        Shown::new().update(&u)?.condition(&c)
    );
    Ok(())
}

#[test]
fn seed_delete_underrated_movie() -> Result<(), Error> {
    let rating = 5;
    let c = Movie::expr(cond!(info.rating <= rating));
    snap!("seed_delete_underrated_movie", Shown::new().condition(&c));
    Ok(())
}

// ---- Operators ----------------------------------------------------------------------------------

#[test]
fn comparison_operators() -> Result<(), Error> {
    let (n, s) = (7u64, "x");
    let c = Thing::expr(cond!(
        size == n && size != n && size < n && size <= n && size > n && size >= n && name < s
    ));
    snap!("comparison_operators", Shown::new().condition(&c));
    Ok(())
}

#[test]
fn between_inclusive_both_syntaxes() -> Result<(), Error> {
    let c = Thing::expr(cond!(size between 1..10 || size between 1..=10 || name between "a".."m"));
    snap!(
        "between_inclusive_both_syntaxes",
        Shown::new().condition(&c)
    );
    Ok(())
}

#[test]
fn in_literal_and_dynamic_lists() -> Result<(), Error> {
    let dynamic = [3u64, 4, 5];
    let c = Thing::expr(cond!(name in ["a", "b"] && size in dynamic));
    snap!("in_literal_and_dynamic_lists", Shown::new().condition(&c));
    Ok(())
}

#[test]
fn logical_operators_and_grouping() -> Result<(), Error> {
    let (a, b) = ("a", 2u64);
    let c = Thing::expr(cond!(
        !(name == a) && (size > b || flag == true) || !attribute_exists(status)
    ));
    snap!("logical_operators_and_grouping", Shown::new().condition(&c));
    Ok(())
}

#[test]
fn right_hand_side_paths() -> Result<(), Error> {
    let c = Thing::expr(cond!(
        size > attr(deep.value) && name == attr(status) && size < size(tags)
    ));
    snap!("right_hand_side_paths", Shown::new().condition(&c));
    Ok(())
}

// ---- Functions ----------------------------------------------------------------------------------

#[test]
fn function_attribute_exists_and_not_exists() -> Result<(), Error> {
    let c = Thing::expr(cond!(
        attribute_exists(status) && attribute_not_exists(deep.next)
    ));
    snap!(
        "function_attribute_exists_and_not_exists",
        Shown::new().condition(&c)
    );
    Ok(())
}

#[test]
fn function_attribute_type_every_code() -> Result<(), Error> {
    let c = Thing::expr(cond!(
        attribute_type(doc, S)
            || attribute_type(doc, SS)
            || attribute_type(doc, N)
            || attribute_type(doc, NS)
            || attribute_type(doc, B)
            || attribute_type(doc, BS)
            || attribute_type(doc, BOOL)
            || attribute_type(doc, NULL)
            || attribute_type(doc, L)
            || attribute_type(doc, M)
    ));
    snap!(
        "function_attribute_type_every_code",
        Shown::new().condition(&c)
    );
    Ok(())
}

#[test]
fn function_begins_with_string_and_binary() -> Result<(), Error> {
    let prefix = BinaryBuf(vec![0xca, 0xfe]);
    let c = Thing::expr(cond!(
        begins_with(name, "The ") && begins_with(data, prefix)
    ));
    snap!(
        "function_begins_with_string_and_binary",
        Shown::new().condition(&c)
    );
    Ok(())
}

#[test]
fn function_contains_string_set_and_list() -> Result<(), Error> {
    let c = Movie::expr(cond!(
        contains(title, "Big") && contains(info.actors, "Moe")
    ));
    let row = vec![1u8];
    let t = Thing::expr(cond!(
        contains(tags, "red") && contains(scores, 10) && contains(matrix, row)
    ));
    snap!(
        "function_contains_string_set_and_list",
        Shown::new().condition(&c)?.filter(&t)
    );
    Ok(())
}

#[test]
fn function_size() -> Result<(), Error> {
    let c = Thing::expr(
        cond!(size(tags) > 1 && size(name) between 1..=64 && size(labels) == 0 && size(data) < 1024),
    );
    snap!("function_size", Shown::new().condition(&c));
    Ok(())
}

// ---- Updates ------------------------------------------------------------------------------------

#[test]
fn update_set_values_and_arithmetic() -> Result<(), Error> {
    let (n, s) = (3u64, "new");
    let u = Thing::expr(update!(
        name = s,
        size = attr(size) - n,
        ttl += 60,
        deep.value -= 1
    ));
    snap!("update_set_values_and_arithmetic", Shown::new().update(&u));
    Ok(())
}

#[test]
fn update_if_not_exists_and_list_append_both_orders() -> Result<(), Error> {
    let (first, last, zero) = (vec!["Shemp".to_string()], vec!["Joe".to_string()], 0u32);
    let u = Movie::expr(update!(
        info.actors = list_append(first, attr(info.actors)),
        info.directors = list_append(attr(info.directors), last),
        info.rank = if_not_exists(info.rank, zero) + 1,
    ));
    snap!(
        "update_if_not_exists_and_list_append_both_orders",
        Shown::new().update(&u)
    );
    Ok(())
}

#[test]
fn update_remove_attribute_member_and_element() -> Result<(), Error> {
    let u = Thing::expr(update!(
        remove(status),
        remove(labels["old key"]),
        remove(matrix[2]),
        remove(deep.next)
    ));
    snap!(
        "update_remove_attribute_member_and_element",
        Shown::new().update(&u)
    );
    Ok(())
}

#[test]
fn update_add_and_delete() -> Result<(), Error> {
    let (new_tags, gone, hits) = (BTreeSet::from(["a", "b"]), BTreeSet::from([7i64]), 1u64);
    let u = Thing::expr(update!(
        add(size, hits),
        add(tags, new_tags),
        delete(scores, gone)
    ));
    snap!("update_add_and_delete", Shown::new().update(&u));
    Ok(())
}

#[test]
fn update_all_clauses_with_condition() -> Result<(), Error> {
    let (plot, extra, expected) = ("p", BTreeSet::from(["x"]), "old");
    let u = Thing::expr(update!(
        remove(status),
        name = plot,
        delete(tags, extra),
        add(size, 1)
    ));
    let c = Thing::expr(cond!(name == expected));
    snap!(
        "update_all_clauses_with_condition",
        Shown::new().update(&u)?.condition(&c)
    );
    Ok(())
}

// ---- Projections, paths, renames, reserved words ------------------------------------------------

#[test]
fn projection_top_level_and_nested() -> Result<(), Error> {
    let p = Movie::expr(project!(
        year,
        title,
        info.rating,
        info.actors[0],
        info.genres
    ));
    snap!(
        "projection_top_level_and_nested",
        Shown::new().projection(&p)
    );
    Ok(())
}

#[test]
fn nested_paths() -> Result<(), Error> {
    let v = 1u32;
    let c = Thing::expr(cond!(
        matrix[1][2] == (1u8)
            && labels["release-date"] == "2015"
            && labels["a.b"] == "dot"
            && deep.next.next.value == v
    ));
    snap!("nested_paths", Shown::new().condition(&c));
    Ok(())
}

#[test]
fn renamed_attributes() -> Result<(), Error> {
    let t = 1_700_000_000u64;
    let c = Thing::expr(cond!(ttl < t && r#type == "x"));
    snap!("renamed_attributes", Shown::new().condition(&c));
    Ok(())
}

#[test]
fn reserved_words_are_always_aliased() -> Result<(), Error> {
    let data = BinaryBuf(vec![1]);
    let c = Thing::expr(cond!(
        name == "n" && status == "s" && size > 1 && data == data && ttl > 0
    ));
    snap!(
        "reserved_words_are_always_aliased",
        Shown::new().condition(&c)
    );
    Ok(())
}

#[test]
fn index_model_key_condition() -> Result<(), Error> {
    let (genre, year) = ("Drama", 1999u32);
    let key = MovieByGenre::expr(cond!(genre == genre && year >= year));
    snap!("index_model_key_condition", Shown::new().key(&key));
    Ok(())
}

#[test]
fn begins_with_sort_key_condition() -> Result<(), Error> {
    let year = 2015u32;
    let key = Movie::expr(cond!(begins_with(title, "The") && year == year));
    snap!("begins_with_sort_key_condition", Shown::new().key(&key));
    Ok(())
}

#[test]
fn whole_nested_document_as_a_value() -> Result<(), Error> {
    let info = Info {
        rating: Some(7.5),
        actors: vec!["A".into()],
        ..Info::default()
    };
    let u = Movie::expr(update!(info = info));
    snap!("whole_nested_document_as_a_value", Shown::new().update(&u));
    Ok(())
}

// ---- Housekeeping ---------------------------------------------------------------------------------

/// A snapshot file that no test writes any more is stale: it would pin nothing.
#[test]
fn every_snapshot_file_belongs_to_a_test() {
    let source = include_str!("snapshots.rs");
    let named: BTreeSet<&str> = source
        .split("snap!(")
        .skip(1)
        .filter_map(|rest| rest.trim_start().strip_prefix('"')?.split('"').next())
        .filter(|name| {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
        .collect();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../snapshots");
    let files: BTreeSet<String> = std::fs::read_dir(&dir)
        .expect("the snapshots directory")
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().into_string().ok()?;
            Some(name.strip_suffix(".snap")?.to_owned())
        })
        .collect();
    let stale: Vec<&String> = files
        .iter()
        .filter(|f| !named.contains(f.as_str()))
        .collect();
    assert!(stale.is_empty(), "snapshot files no test writes: {stale:?}");
    assert_eq!(
        files.len(),
        named.len(),
        "every named snapshot has its file"
    );
}
