// A state brought up to date by a newer set of rows: what a cold start does with the stored
// snapshot and the rows that commits changed after it (web/src/engine/storage/indexeddb.js,
// "journal").
#pragma once

#include "domain/types.h"

namespace ringi::domain {

// Each row of `newer` replaces the row of `base` with the same key (user, organization and group
// code; app id; record app + id; task id; batch number), or is added when `base` has none. Rows of
// `base` that `newer` does not name stay as they are; nothing is removed. Keys are not checked
// for duplicates here: Engine::load does that.
void overlay(Snapshot& base, Snapshot&& newer);

}  // namespace ringi::domain
