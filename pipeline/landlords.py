"""One landlord for the many spellings a plaintiff files under.

`ABC APTS LLC`, `ABC APARTMENTS, L.L.C.`, `THE ABC APARTMENTS LLC T/A PARK TOWERS` are one landlord.
`group_landlords` turns {raw plaintiff name: number of cases} into `LandlordGroup`s in three steps:

1. **Same key.** Names with the same `landlord_key` (upper-case ASCII, punctuation and legal
   forms gone, one spelling per abbreviation, trade names and `C/O` parts dropped) are one landlord.
2. **Similar keys.** Keys of organisations are joined when they carry the same numbers
   (`1200 FIRST STREET LLC` / `1300 FIRST STREET LLC`, `... II` / `... III` stay apart) and
   - they are the same letters without spaces (`SUMMITVIEW` = `SUMMIT VIEW`), or
   - rapidfuzz `token_sort_ratio` of the keys (or of the keys without spaces) is >= `threshold`
     (90), *and* the distinctive words (not business words like APARTMENTS, REALTY) are the same
     in the same order, or one of them is mistyped once (one letter added, dropped or changed
     with the two words still >= `threshold` alike: `WILOWBROOK`; or two letters swapped:
     `HEIGTHS`), *and* the business words match the same way (`RENTALS` is not `RESIDENTIAL`); or
   - they have the same two or more distinctive words and one only adds APARTMENTS, HOMES, OWNER,
     AT or THE (`BRIGHTWATER COMMONS APTS LLC` = `BRIGHTWATER COMMONS LLC`).
   Keys are taken most cases first; each joins the most similar key that already leads a group
   (never a chain of similar keys, so a group's keys are all alike its leading key). People
   (`SMITH, JOHN A`, `JOHN AND MARY SMITH`: no legal form, no business or place word) and keys
   without a distinctive word are only ever grouped by their exact key.
3. **Overrides** that staff review by hand, in a YAML file read by `load_overrides`::

       # landlords.yaml — reviewed by staff. Names as they appear on the court pages.
       merge:                                          # each entry is one landlord
         - [ABC APARTMENTS LLC, ABC HOLDINGS LLC]      # the first is the name shown
         - - "XYZ REALTY, INC."                        # or one name per line; a name with a
           - XYZ MANAGEMENT CO                         #   comma must be quoted inside [ ]
       separate:                                       # never joined by similarity
         - PARK VIEW TOWERS LLC

   A name stands for every spelling with the same key (`ABC APTS LLC` covers `ABC APARTMENTS,
   L.L.C.`), so a key may be written instead of a name. Names not in the data are ignored. A name
   (key) may be in one merge entry only, and not in both `merge` and `separate`. Quote a name
   with ` #` in it (YAML starts a comment there) or that YAML reads as no text (YES, NO, 1200).

Output is deterministic (same counts -> same groups, whatever the dict order), sorted by case
count (descending), then name. `landlord_id` is "ll-" + 12 hex digits of sha1(canonical key): it
stays the same as long as the group's canonical key (its most frequent key, or the key of the
name a merge entry shows) does.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from pipeline.store.inputs import LandlordGroup
from pipeline.landlords_key import (LEGAL_FORMS, OPTIONAL, analyze, distinctive, generic, is_personal,
                                    landlord_key, numbers, swapped)

__all__ = ["landlord_key", "LandlordOverrides", "LandlordGroup", "group_landlords", "load_overrides",
           "OverridesError", "assign"]


class OverridesError(ValueError):
    """The overrides file (or object) cannot be used; the message names the file and the entry."""


@dataclass(frozen=True)
class LandlordOverrides:
    merge: tuple[tuple[str, ...], ...] = ()
    separate: tuple[str, ...] = ()
    # where each entry came from, for error messages ("merge entry 2 (line 5)"); not compared
    labels: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "merge", tuple(tuple(entry) for entry in self.merge))
        object.__setattr__(self, "separate", tuple(self.separate))

    @classmethod
    def empty(cls) -> LandlordOverrides:
        return cls()

    def check(self) -> None:
        """Raises OverridesError for the first entry that cannot be used."""
        def label(kind: str, i: int) -> str:
            return self.labels.get(f"{kind}:{i}", f"{kind} entry {i + 1}")

        def key_of(name: object, where: str) -> str:
            if not isinstance(name, str):
                raise OverridesError(f"{where}: {name!r} is not a name")
            key = landlord_key(name)
            if not key or set(key.split()) <= LEGAL_FORMS | {"THE"}:
                raise OverridesError(f"{where}: {name!r} is not a landlord's name (a name with a comma "
                                     "must be quoted inside [ ], or written one per line)")
            return key

        owner: dict[str, str] = {}
        for i, entry in enumerate(self.merge):
            where = label("merge", i)
            if len(entry) < 2:
                raise OverridesError(f"{where}: a merge entry needs at least two names, got {list(entry)}")
            for name in entry:
                key = key_of(name, where)
                if owner.setdefault(key, where) != where:
                    raise OverridesError(f"{where}: {name!r} (key {key!r}) is already in {owner[key]}")
        for i, name in enumerate(self.separate):
            where = label("separate", i)
            key = key_of(name, where)
            if key in owner:
                raise OverridesError(f"{where}: {name!r} (key {key!r}) is also in {owner[key]}: "
                                     "a name cannot be both merged and separate")


def group_landlords(name_counts: Mapping[str, int], overrides: LandlordOverrides = LandlordOverrides.empty(),
                    *, threshold: float = 90.0) -> list[LandlordGroup]:
    """Groups raw plaintiff names (with their case counts) into landlords; see the module docstring."""
    overrides.check()
    names: dict[str, dict[str, int]] = defaultdict(dict)  # key -> raw name -> count
    entity: dict[str, bool] = defaultdict(bool)
    for raw, count in name_counts.items():
        if not isinstance(count, int) or count < 0:
            raise ValueError(f"case count for {raw!r} must be a non-negative integer, got {count!r}")
        key, is_entity = analyze(raw)
        if key:  # a name without a letter or digit is no landlord
            names[key][raw] = count
            entity[key] |= is_entity
    total = {k: sum(v.values()) for k, v in names.items()}
    order = sorted(names, key=lambda k: (-total[k], len(k), k))
    rank = {k: i for i, k in enumerate(order)}

    separate = {landlord_key(n) for n in overrides.separate}
    fuzzy = [k for k in order if k not in separate and not is_personal(k, entity[k]) and distinctive(k.split())]
    edges = _similar(fuzzy, threshold)
    leader: dict[str, str] = {}
    for k in order:  # most cases first: a key joins the most similar key that already leads a group
        options = [(score, -rank[j], j) for j, score in edges.get(k, ()) if leader.get(j) == j]
        leader[k] = max(options)[2] if options else k

    parent = dict(leader)  # then the overrides' merges join whole groups
    def find(k: str) -> str:
        while parent[k] != k:
            k = parent[k]
        return k
    entries = [(entry[0], [k for k in map(landlord_key, entry) if k in names]) for entry in overrides.merge]
    for _, present in entries:
        roots = sorted({find(k) for k in present}, key=rank.__getitem__)
        for root in roots[1:]:
            parent[root] = roots[0]
    shown: dict[str, str] = {}
    for display, present in entries:
        if present:
            shown.setdefault(find(present[0]), display)

    members: dict[str, list[str]] = defaultdict(list)
    for k in order:
        members[find(k)].append(k)
    groups = []
    for root, keys in members.items():
        raw = Counter({name: n for k in keys for name, n in names[k].items()})
        name = shown.get(root) or min(raw, key=lambda n: (-raw[n], len(n), n))
        key = landlord_key(shown[root]) if root in shown else root
        groups.append(LandlordGroup(landlord_id="ll-" + hashlib.sha1(key.encode()).hexdigest()[:12],
                                    canonical_name=name, key=key, aliases=tuple(sorted(raw)),
                                    keys=tuple(sorted(keys)), case_count=sum(raw.values())))
    return sorted(groups, key=lambda g: (-g.case_count, g.canonical_name, g.landlord_id))


def assign(groups: Iterable[LandlordGroup]) -> dict[str, str]:
    """Raw name -> landlord_id."""
    return {alias: g.landlord_id for g in groups for alias in g.aliases}


def _similar(keys: list[str], threshold: float) -> dict[str, list[tuple[str, float]]]:
    """Similar pairs among organisation keys (step 2 of the module docstring), both ways, with scores.

    Only pairs that can pass are scored: keys with the same distinctive words, or the same letters
    without spaces, and keys whose distinctive words differ in one place by a typo (`_similar_words`
    finds those pairs among the distinct words, not the keys)."""
    toks = [k.split() for k in keys]
    dist = [distinctive(t) for t in toks]
    kind = [generic(t) for t in toks]
    nums = [numbers(t) for t in toks]
    flat = [" ".join(sorted(t)) for t in toks]  # token_sort_ratio == ratio of the sorted words
    glued = [k.replace(" ", "") for k in keys]  # LAURELRIDGE RESIDENTIAL = LAUREL RIDGE RESIDENTIAL
    same: dict[str, list[int]] = defaultdict(list)
    by_word: dict[str, dict[tuple[str, ...], list[int]]] = defaultdict(lambda: defaultdict(list))
    for i, d in enumerate(dist):
        same["d:" + " ".join(d)].append(i)
        same["j:" + "".join(d)].append(i)
        same["g:" + glued[i]].append(i)
        for n, word in enumerate(d):
            by_word[word][(*d[:n], "", *d[n + 1:])].append(i)  # the other words, in place
    pairs: set[tuple[int, int]] = set()
    for members in same.values():
        pairs.update((i, j) for n, i in enumerate(members) for j in members[n + 1:])
    for u, v in _similar_words(sorted(by_word), threshold):
        with_u, with_v = by_word[u], by_word[v]
        for rest in with_u.keys() & with_v.keys():
            pairs.update((min(i, j), max(i, j)) for i in with_u[rest] for j in with_v[rest])

    edges: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for i, j in sorted(pairs):
        if nums[i] != nums[j]:
            continue
        score = max(fuzz.ratio(flat[i], flat[j]), fuzz.ratio(glued[i], glued[j]))
        ok = glued[i] == glued[j] or (score >= threshold and _same_words(dist[i], dist[j], threshold)
                                      and _same_words(sorted(kind[i]), sorted(kind[j]), threshold))
        if not ok and len(dist[i]) >= 2 and dist[i] == dist[j]:  # one adds APARTMENTS/HOMES/OWNER
            more_i, more_j = Counter(toks[i]) - Counter(toks[j]), Counter(toks[j]) - Counter(toks[i])
            ok = not (more_i and more_j) and set(more_i + more_j) <= OPTIONAL
        if ok:
            edges[keys[i]].append((keys[j], score))
            edges[keys[j]].append((keys[i], score))
    return edges


def _similar_words(words: list[str], threshold: float) -> set[tuple[str, str]]:
    """Pairs of words one is a typo of the other (`_typo`), among the words that share their first
    or last three letters, or all their letters (a swap). That finds every such pair at 90."""
    blocks: dict[str, list[str]] = defaultdict(list)
    for w in words:
        if len(w) >= 4:
            for block in ("p:" + w[:3], "s:" + w[-3:], "a:" + "".join(sorted(w))):
                blocks[block].append(w)
    found = set()
    for members in blocks.values():
        for n, w in enumerate(members[:-1]):
            for other, _, _ in process.extract(w, members[n + 1:], scorer=OSA.distance, score_cutoff=1, limit=None):
                if _typo(w, other, threshold):
                    found.add((min(w, other), max(w, other)))
    return found


def _same_words(a: list[str], b: list[str], threshold: float) -> bool:
    """The same words in the same order, or the same letters, or one word mistyped once."""
    if a == b or "".join(a) == "".join(b):
        return True
    diff = [(u, v) for u, v in zip(a, b) if u != v]
    return len(a) == len(b) and len(diff) == 1 and _typo(*diff[0], threshold)


def _typo(u: str, v: str, threshold: float) -> bool:
    """One letter added, dropped or changed, in words that stay >= threshold alike (WILOWBROOK), or
    two neighbouring letters swapped in a word of 6 letters or more (HEIGTHS)."""
    return (OSA.distance(u, v, score_cutoff=1) <= 1 and fuzz.ratio(u, v) >= threshold) or swapped(u, v)


def load_overrides(path: Path) -> LandlordOverrides:
    """Reads the staff's overrides file (format in the module docstring); a missing file is no overrides."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return LandlordOverrides.empty()
    except (OSError, UnicodeDecodeError) as exc:
        raise OverridesError(f"{path}: cannot be read: {exc}") from exc
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise OverridesError(f"{path}: {where}not valid YAML: {getattr(exc, 'problem', None) or exc}") from exc
    if root is None:
        return LandlordOverrides.empty()

    def line(node: yaml.Node) -> int:
        return node.start_mark.line + 1

    def fail(where: str, problem: str) -> OverridesError:
        return OverridesError(f"{path}: {where}: {problem}")

    def name(node: yaml.Node, where: str) -> str:
        if not isinstance(node, yaml.ScalarNode):
            raise fail(where, "expected a name, got a list or mapping")
        if node.tag != "tag:yaml.org,2002:str":
            raise fail(where, f"{node.value!r} is not read as a name by YAML; put it in quotes")
        return node.value

    if not isinstance(root, yaml.MappingNode):
        raise fail(f"line {line(root)}", "expected `merge:` and/or `separate:` at the top level")
    merge: list[tuple[str, ...]] = []
    separate: list[str] = []
    labels: dict[str, str] = {}
    seen: set[str] = set()
    for key_node, value in root.value:
        section = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if section not in ("merge", "separate") or section in seen:
            what = "appears twice" if section in seen else "is not `merge` or `separate`"
            raise fail(f"line {line(key_node)}", f"section {section or key_node.tag!r} {what}")
        seen.add(section)
        if isinstance(value, yaml.ScalarNode) and value.tag == "tag:yaml.org,2002:null":
            continue
        if not isinstance(value, yaml.SequenceNode):
            raise fail(f"{section} (line {line(value)})", "expected a list of entries (lines starting with `- `)")
        for i, item in enumerate(value.value):
            where = f"{section} entry {i + 1} (line {line(item)})"
            labels[f"{section}:{i}"] = where
            if section == "separate":
                separate.append(name(item, where))
            elif not isinstance(item, yaml.SequenceNode):
                raise fail(where, "expected a list of names, e.g. [ABC APARTMENTS LLC, ABC HOLDINGS LLC]")
            else:
                merge.append(tuple(name(n, where) for n in item.value))
    overrides = LandlordOverrides(merge=tuple(merge), separate=tuple(separate), labels=labels)
    try:
        overrides.check()
    except OverridesError as exc:
        raise OverridesError(f"{path}: {exc}") from None
    return overrides
