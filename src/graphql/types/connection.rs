//! Relay `PageInfo`, shared by every connection.
use async_graphql::SimpleObject;

/// Where a page stands in the whole list.
#[derive(SimpleObject, Debug, Clone, PartialEq)]
pub struct PageInfo {
    pub has_next_page: bool,
    /// True when the page was asked for `after` a cursor.
    pub has_previous_page: bool,
    pub start_cursor: Option<String>,
    pub end_cursor: Option<String>,
}

impl PageInfo {
    pub fn new(cursors: &[String], has_next_page: bool, after: Option<&str>) -> Self {
        Self {
            has_next_page,
            has_previous_page: after.is_some(),
            start_cursor: cursors.first().cloned(),
            end_cursor: cursors.last().cloned(),
        }
    }
}
