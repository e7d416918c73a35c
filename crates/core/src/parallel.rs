//! Work shared among threads, where the target has them.

/// Can this target run threads? WebAssembly (without its threads proposal)
/// cannot, so its builds leave the threaded paths out altogether.
pub(crate) const THREADS: bool = !cfg!(target_family = "wasm");

/// `f` applied to each of `0..count` on up to `threads` threads; the results
/// come back in index order, so the outcome does not depend on the number of
/// threads. Indices are handed out one at a time as threads come free.
pub(crate) fn each_index<T: Send>(threads: usize, count: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let threads = threads.min(count);
    if !THREADS || threads <= 1 {
        return (0..count).map(f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let file = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if file >= count {
                return done;
            }
            done.push((file, f(file)));
        }
    };
    let mut results: Vec<Option<T>> = (0..count).map(|_| None).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads).map(|_| scope.spawn(work)).collect();
        for handle in handles {
            for (file, result) in handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)) {
                results[file] = Some(result);
            }
        }
    });
    results.into_iter().flatten().collect()
}

/// `f` applied to every item, on up to `threads` threads, each taking a
/// contiguous run of items; the results come back in the order of `items`.
pub(crate) fn map_in_runs<T: Send, R: Send>(threads: usize, items: Vec<T>, f: impl Fn(T) -> R + Sync) -> Vec<R> {
    let threads = threads.min(items.len());
    if !THREADS || threads <= 1 {
        return items.into_iter().map(f).collect();
    }
    let share = items.len().div_ceil(threads);
    let mut chunks: Vec<Vec<T>> = Vec::with_capacity(threads);
    let mut items = items.into_iter();
    loop {
        let chunk: Vec<T> = items.by_ref().take(share).collect();
        if chunk.is_empty() {
            break;
        }
        chunks.push(chunk);
    }
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> =
            chunks.into_iter().map(|chunk| scope.spawn(move || chunk.into_iter().map(f).collect::<Vec<R>>())).collect();
        handles
            .into_iter()
            .flat_map(|handle| handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    })
}
