//! Section 5 of the checklist: where images come from, how they are pinned,
//! what they are built on, and whether their signatures are verified.

pub(crate) mod base_image;
pub(crate) mod frozen_registry;
pub(crate) mod image_digest;
pub(crate) mod image_latest_tag;
pub(crate) mod image_pull_policy;
pub(crate) mod image_registry;
pub(crate) mod image_signature_policy;
pub(crate) mod reference;

use crate::checks::images::reference::ImageRef;
use crate::model::pod::{Container, Pod};
use crate::model::view::View;

/// Each container with its parsed image reference and the `image` field
/// (parsed for the first check that asks, then kept in the container).
pub(crate) fn images<'p, 'a>(
    pod: &'p Pod<'a>,
) -> impl Iterator<Item = (&'p Container<'a>, ImageRef<'a>, View<'a>)> + 'p {
    pod.containers.iter().filter_map(|container| {
        let (image, view) = parsed_image(container)?.clone();
        Some((container, image, view))
    })
}

/// A container's parsed image reference and its `image` field: parsed for the
/// first reader that asks (the image checks, the components), then kept.
pub(crate) fn parsed_image<'p, 'a>(container: &'p Container<'a>) -> Option<&'p (ImageRef<'a>, View<'a>)> {
    container
        .image
        .get_or_init(|| {
            let view = container.view.get("image");
            let image = ImageRef::parse(view.str().present()?)?;
            Some((image, view))
        })
        .as_ref()
}
