//! Work on a long list split across threads, for the steps between a keystroke
//! and its diagnostics that grow with a large file's findings.

/// `f` over `items`, on up to `threads` threads of at least `least_per_thread`
/// items each (on this thread when the list is short); the results come back
/// in the order of `items`.
pub(crate) fn map_chunks<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    least_per_thread: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let threads = threads.min(items.len() / least_per_thread.max(1));
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let share = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let parts: Vec<_> =
            items.chunks(share).map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<R>>())).collect();
        parts
            .into_iter()
            .flat_map(|part| part.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::map_chunks;

    #[test]
    fn results_keep_the_order_of_the_items_whatever_the_threads() {
        let items: Vec<u32> = (0..1000).collect();
        let expected: Vec<u32> = items.iter().map(|item| item * 3).collect();
        for threads in [0, 1, 2, 3, 7, 2000] {
            for least in [0, 1, 100, 5000] {
                assert_eq!(map_chunks(&items, threads, least, |item| item * 3), expected, "{threads} threads, {least}");
            }
        }
        assert!(map_chunks(&[] as &[u32], 4, 1, |item| *item).is_empty());
    }
}
