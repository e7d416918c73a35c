//! Section 5 of the checklist: where images come from, how they are pinned,
//! what they are built on, and whether their signatures are verified.

pub(crate) mod base_image;
pub(crate) mod frozen_registry;
pub(crate) mod image_digest;
pub(crate) mod image_latest_tag;
pub(crate) mod image_pull_policy;
pub(crate) mod image_registry;
pub(crate) mod image_signature_policy;
pub(crate) mod invalid_image_reference;

use crate::model::image::ImageRef;
use crate::model::pod::{Container, Pod};
use crate::model::view::View;

/// Each container with its parsed image reference and the `image` field
/// (parsed for the first check that asks, then kept in the container).
pub(crate) fn images<'p, 'a>(
    pod: &'p Pod<'a>,
) -> impl Iterator<Item = (&'p Container<'a>, ImageRef<'a>, View<'a>)> + 'p {
    pod.containers.iter().filter_map(|container| {
        let (image, view) = container.parsed_image()?.clone();
        Some((container, image, view))
    })
}
