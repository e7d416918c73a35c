//! What the library functions share: argument access, errors, and the
//! boilerplate of an opaque value type.

use cel::common::types::{CelBool, CelInt, CelString};
use cel::common::value::{CowVal, FromVal, Val};
use cel::ExecutionError;

/// The result type of every overload.
pub(super) type Out<'b, 'v> = Result<CowVal<'b, 'v>, ExecutionError>;

/// Argument `index`, downcast to `T` (the overload was declared for its type,
/// so a mismatch is an internal error, reported as such).
pub(super) fn arg<'a, 'b, 'v, T>(args: &'a [CowVal<'b, 'v>], index: usize) -> Result<&'a T, ExecutionError>
where
    T: FromVal<'a, 'v> + Val,
{
    args.get(index).and_then(|value| value.downcast_ref::<T>()).ok_or_else(|| ExecutionError::UnexpectedType {
        got: args.get(index).map_or_else(|| "nothing".to_string(), |value| value.get_type().name().to_string()),
        want: T::cel_type().name().to_string(),
    })
}

/// A string argument.
pub(super) fn string_arg<'a, 'b, 'v>(args: &'a [CowVal<'b, 'v>], index: usize) -> Result<&'a str, ExecutionError> {
    arg::<CelString>(args, index).map(CelString::inner)
}

/// An int argument.
pub(super) fn int_arg(args: &[CowVal<'_, '_>], index: usize) -> Result<i64, ExecutionError> {
    arg::<CelInt>(args, index).map(|value| *value.inner())
}

/// A bool argument.
pub(super) fn bool_arg(args: &[CowVal<'_, '_>], index: usize) -> Result<bool, ExecutionError> {
    arg::<CelBool>(args, index).map(|value| *value.inner())
}

pub(super) fn bool_out<'b, 'v>(value: bool) -> Out<'b, 'v> {
    Ok(CowVal::owned(CelBool::from(value)))
}

pub(super) fn int_out<'b, 'v>(value: i64) -> Out<'b, 'v> {
    Ok(CowVal::owned(CelInt::from(value)))
}

pub(super) fn string_out<'b, 'v>(value: String) -> Out<'b, 'v> {
    Ok(CowVal::owned(CelString::from(value)))
}

/// An error of `function`, with its message.
pub(super) fn fail(function: &str, message: impl std::fmt::Display) -> ExecutionError {
    ExecutionError::function_error(function, message)
}

/// Declares a `'static` value type known to CEL by `name`, compared with
/// `PartialEq`, and the `Type` constant overloads are declared with.
macro_rules! opaque_value {
    ($rust:ty, $constant:ident, $name:literal) => {
        pub(crate) static $constant: cel::common::types::Type = cel::common::types::Type::new_unspecified_type($name);

        impl cel::common::value::Val for $rust {
            fn get_type(&self) -> &cel::common::types::Type {
                &$constant
            }
            fn cel_type() -> &'static cel::common::types::Type {
                &$constant
            }
            fn equals(&self, other: &dyn cel::common::value::Val) -> bool {
                other.downcast_ref::<$rust>().is_some_and(|other| other == self)
            }
            fn clone_as_boxed<'w>(&self) -> Box<dyn cel::common::value::Val + 'w> {
                Box::new(self.clone())
            }
            fn as_any(&self) -> Option<&dyn std::any::Any> {
                Some(self)
            }
        }
        impl cel::common::value::StaticVal for $rust {}
    };
}
pub(super) use opaque_value;
