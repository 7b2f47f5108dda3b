//! The parsed GraphQL documents of the queries an instance saw last, so that a query sent
//! again is not parsed again.
//!
//! Partners and apps send the same few query texts over and over with other variables;
//! parsing one (async-graphql's pest grammar) was an eighth of the server's time per
//! request under load (README, "Benchmarks"). A parsed document depends only on its text,
//! so serving a copy changes nothing the engine does next: validation, the limits and
//! execution still run on every request. Bounded in count and in text length, so that
//! nobody can fill it with large documents.
use std::num::NonZeroUsize;
use std::sync::Mutex;

use async_graphql::ServerError;
use async_graphql::parser::types::ExecutableDocument;
use lru::LruCache;

/// How many documents an instance keeps.
const MAX_ENTRIES: usize = 256;
/// Longer query texts are parsed each time (a partner's queries are far shorter). With the
/// count, this bounds what a caller sending distinct texts can make an instance hold: 1 MiB
/// of text and its parsed nodes.
const MAX_QUERY_BYTES: usize = 4 * 1024;

pub struct ParsedDocuments {
    entries: Mutex<LruCache<String, ExecutableDocument>>,
}

impl Default for ParsedDocuments {
    fn default() -> Self {
        Self {
            entries: Mutex::new(LruCache::new(
                NonZeroUsize::new(MAX_ENTRIES).unwrap_or(NonZeroUsize::MIN),
            )),
        }
    }
}

impl ParsedDocuments {
    /// The request's document, from the cache when its text was seen; parsed (and kept)
    /// otherwise, or the parse error.
    pub fn parse<'r>(
        &self,
        request: &'r mut async_graphql::Request,
    ) -> Result<&'r ExecutableDocument, ServerError> {
        let cacheable = request.query.len() <= MAX_QUERY_BYTES;
        if cacheable && let Some(document) = self.lock().get(request.query.as_str()).cloned() {
            request.set_parsed_query(document);
            return request.parsed_query();
        }
        let key = cacheable.then(|| request.query.clone());
        let document = request.parsed_query()?;
        if let Some(key) = key {
            self.lock().put(key, document.clone());
        }
        Ok(document)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, LruCache<String, ExecutableDocument>> {
        // A panic while holding the lock leaves the cache consistent (each call is one
        // lru operation), so a poisoned lock is used as is.
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.lock().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn operation_count(cache: &ParsedDocuments, query: &str) -> Option<usize> {
        let mut request = async_graphql::Request::new(query);
        cache
            .parse(&mut request)
            .ok()
            .map(|document| document.operations.iter().count())
    }

    #[test]
    fn a_query_seen_again_gets_the_same_document_and_a_bad_one_is_not_kept() {
        let cache = ParsedDocuments::default();
        assert_eq!(
            operation_count(&cache, "query A { a } query B { b }"),
            Some(2)
        );
        assert_eq!(cache.len(), 1);
        assert_eq!(
            operation_count(&cache, "query A { a } query B { b }"),
            Some(2)
        );
        assert_eq!(cache.len(), 1);
        assert_eq!(operation_count(&cache, "{ a"), None);
        assert_eq!(cache.len(), 1);
        let long = format!("{{ a }}{}", " ".repeat(MAX_QUERY_BYTES));
        assert_eq!(operation_count(&cache, &long), Some(1));
        assert_eq!(cache.len(), 1, "a long text is parsed, not kept");
    }

    #[test]
    fn the_cache_keeps_at_most_its_bound() {
        let cache = ParsedDocuments::default();
        for n in 0..MAX_ENTRIES + 10 {
            assert_eq!(operation_count(&cache, &format!("{{ a{n} }}")), Some(1));
        }
        assert_eq!(cache.len(), MAX_ENTRIES);
    }
}
