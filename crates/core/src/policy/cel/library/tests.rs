//! The libraries through the compiler and interpreter, as policies use them:
//! each case is an expression that must hold, or must fail to evaluate, or
//! must be refused when it is compiled.

use cel::common::types::CelBool;
use cel::common::types::CelNull;

use crate::policy::cel::{compile, Declared};
use crate::policy::eval::{evaluate, Activation, Variables};

fn run(text: &str) -> Result<bool, String> {
    let compiled = compile(text, &Declared::default()).map_err(|error| format!("compile: {}", error.message))?;
    let null = CelNull;
    let activation = Activation { object: &null, params: None, namespace_object: None, request: &null };
    let variables = Variables::new();
    let value = evaluate(&compiled, &activation, &variables).map_err(|error| format!("runtime: {error}"))?;
    value.downcast_ref::<CelBool>().map(|b| *b.inner()).ok_or_else(|| format!("not a bool: {value:?}"))
}

fn holds(cases: &[&str]) {
    for case in cases {
        assert_eq!(run(case), Ok(true), "{case}");
    }
}

fn fails_at_runtime(cases: &[&str]) {
    for case in cases {
        match run(case) {
            Err(message) if message.starts_with("runtime:") => {}
            other => panic!("{case}: expected a runtime error, got {other:?}"),
        }
    }
}

fn refused(cases: &[(&str, &str)]) {
    for (case, wanted) in cases {
        match compile(case, &Declared::default()) {
            Err(error) => assert!(error.message.contains(wanted), "{case}: {}", error.message),
            Ok(_) => panic!("{case}: compiled"),
        }
    }
}

#[test]
fn the_standard_macros() {
    holds(&[
        "[1, 2, 3].all(x, x > 0)",
        "[1, 2, 3].exists(x, x == 2)",
        "[1, 2, 3].exists_one(x, x > 2)",
        "[1, 2, 3].map(x, x * 2) == [2, 4, 6]",
        "[1, 2, 3].filter(x, x != 2) == [1, 3]",
        "[1, 2, 3].map(x, x > 1, x * 10) == [20, 30]",
        "has({'a': 1}.a) && !has({'a': 1}.b)",
        "{'a': 1, 'b': 2}.all(k, k in ['a', 'b'])",
        "cel.bind(x, 'abc', x + x) == 'abcabc'",
        "size('héllo') == 5 && 'abc'.startsWith('ab') && 'abc'.endsWith('bc') && 'abc'.contains('b')",
        "int('42') == 42 && string(42) == '42' && double(1) == 1.0 && type(1) == int",
    ]);
}

#[test]
fn optional_values() {
    holds(&[
        "{'a': 1}.?a.orValue(0) == 1",
        "{'a': 1}.?b.orValue(0) == 0",
        "!{'a': 1}.?b.hasValue()",
        "optional.of(3).value() == 3",
        "optional.none().or(optional.of(2)).value() == 2",
        "[optional.of(1), optional.none()].filter(o, o.hasValue()).size() == 1",
        "[1, ?optional.none(), ?optional.of(2)] == [1, 2]",
        "{'a': {'b': 2}}.?a.?b.orValue(0) == 2",
        "{'a': [1, 2]}.?a[?5].orValue(9) == 9",
        "optional.ofNonZeroValue('').orValue('x') == 'x'",
    ]);
}

#[test]
fn the_strings_extension() {
    holds(&[
        "'hello'.charAt(1) == 'e'",
        "'hello'.indexOf('l') == 2 && 'hello'.lastIndexOf('l') == 3",
        "'Hello'.lowerAscii() == 'hello' && 'Hello'.upperAscii() == 'HELLO'",
        "'a-b-c'.replace('-', '+') == 'a+b+c' && 'a-b-c'.replace('-', '', 1) == 'ab-c'",
        "'a,b'.split(',') == ['a', 'b']",
        "'hello'.substring(1, 3) == 'el'",
        "'  x '.trim() == 'x'",
        "['a', 'b'].join('-') == 'a-b' && ['a', 'b'].join() == 'ab'",
        "strings.quote('a\"b') == '\"a\\\\\"b\"'",
        "'abc'.reverse() == 'cba'",
    ]);
}

#[test]
fn the_kubernetes_list_and_set_libraries() {
    holds(&[
        "[1, 2, 3].isSorted() && !['b', 'a'].isSorted()",
        "[1, 2, 3].sum() == 6 && [1.5, 2.5].sum() == 4.0 && [].sum() == 0",
        "[3, 1, 2].min() == 1 && [3, 1, 2].max() == 3",
        "[1, 2, 1].indexOf(1) == 0 && [1, 2, 1].lastIndexOf(1) == 2 && [1].indexOf(5) == -1",
        "sets.contains([1, 2, 3], [3, 1]) && !sets.contains([1], [2])",
        "sets.equivalent([1, 2, 2], [2, 1]) && sets.intersects([1, 2], [2, 5])",
    ]);
    fails_at_runtime(&["[].min()", "[1, 'a'].max()", "[9223372036854775807, 1].sum() > 0"]);
}

#[test]
fn regular_expressions() {
    holds(&[
        "'registry.example.com/app'.matches('^registry\\\\.example\\\\.com/')",
        "matches('abc', 'b')",
        "'abc 123 def 456'.find('[0-9]+') == '123'",
        "'abc 123 def 456'.findAll('[0-9]+') == ['123', '456']",
        "'a1b2c3'.findAll('[0-9]', 2) == ['1', '2']",
        "'xyz'.find('[0-9]') == ''",
    ]);
    refused(&[("'a'.matches('(')", "invalid regular expression")]);
    // A pattern that only exists at run time is checked then.
    fails_at_runtime(&["'a'.matches('(' + '')"]);
}

#[test]
fn urls() {
    holds(&[
        "url('https://example.com:8080/a/b?x=1').getScheme() == 'https'",
        "url('https://example.com:8080/a/b?x=1').getHost() == 'example.com:8080'",
        "url('https://example.com:8080/a/b?x=1').getHostname() == 'example.com'",
        "url('https://example.com:8080/a/b?x=1').getPort() == '8080'",
        "url('https://example.com/a%20b').getEscapedPath() == '/a%20b'",
        "url('https://example.com/?k=a&k=b').getQuery() == {'k': ['a', 'b']}",
        "url('/relative/path').getHost() == ''",
        "isURL('https://example.com') && !isURL('example.com') && !isURL('')",
    ]);
    fails_at_runtime(&["url('not a url').getScheme() == ''"]);
}

#[test]
fn quantities() {
    holds(&[
        "quantity('1Gi').isGreaterThan(quantity('1G'))",
        "quantity('500m').isLessThan(quantity('1'))",
        "quantity('1Gi') == quantity('1024Mi')",
        "quantity('1Gi').compareTo(quantity('1024Mi')) == 0",
        "quantity('1').add(quantity('500m')) == quantity('1.5')",
        "quantity('2').sub(1) == quantity('1') && quantity('1').add(1) == quantity('2')",
        "quantity('2k').asInteger() == 2000 && quantity('1.5').isInteger() == false",
        "quantity('-3').sign() == -1 && quantity('0').sign() == 0",
        "quantity('250m').asApproximateFloat() == 0.25",
        "isQuantity('10Mi') && !isQuantity('10 Mi') && !isQuantity('ten')",
    ]);
    fails_at_runtime(&["quantity('1.5').asInteger() == 1", "quantity('x').sign() == 0"]);
}

#[test]
fn ip_addresses_and_cidrs() {
    holds(&[
        "ip('10.0.0.1').family() == 4 && ip('::1').family() == 6",
        "ip('127.0.0.1').isLoopback() && ip('0.0.0.0').isUnspecified()",
        "ip('169.254.1.1').isLinkLocalUnicast() && ip('224.0.0.1').isLinkLocalMulticast()",
        "ip('8.8.8.8').isGlobalUnicast() && !ip('127.0.0.1').isGlobalUnicast()",
        "ip.isCanonical('2001:db8::1') && !ip.isCanonical('2001:DB8::1')",
        "isIP('1.2.3.4') && !isIP('1.2.3') && !isIP('::ffff:1.2.3.4')",
        "string(ip('10.0.0.1')) == '10.0.0.1' && ip('10.0.0.1') == ip('10.0.0.1')",
        "cidr('10.0.0.0/8').containsIP(ip('10.1.2.3')) && cidr('10.0.0.0/8').containsIP('10.9.9.9')",
        "cidr('10.0.0.0/8').containsCIDR('10.1.0.0/16') && !cidr('10.0.0.0/16').containsCIDR(cidr('10.0.0.0/8'))",
        "cidr('192.168.1.5/24').masked() == cidr('192.168.1.0/24') && cidr('192.168.1.5/24').ip() == ip('192.168.1.5')",
        "cidr('::1/128').prefixLength() == 128 && string(cidr('10.0.0.0/8')) == '10.0.0.0/8'",
        "isCIDR('10.0.0.0/8') && !isCIDR('10.0.0.0/33')",
    ]);
    fails_at_runtime(&["ip('nope').family() == 4", "cidr('1.2.3.4').prefixLength() == 0"]);
}

#[test]
fn semantic_versions() {
    holds(&[
        "semver('1.2.3').major() == 1 && semver('1.2.3').minor() == 2 && semver('1.2.3').patch() == 3",
        "semver('1.2.3').isLessThan(semver('1.10.0')) && semver('2.0.0').isGreaterThan(semver('2.0.0-rc.1'))",
        "semver('1.0.0').compareTo(semver('1.0.0+build')) == 0",
        "isSemver('1.2.3') && !isSemver('v1.2.3') && isSemver('v1.2', true)",
        "semver('v1.2', true) == semver('1.2.0')",
    ]);
    fails_at_runtime(&["semver('1.2').major() == 1"]);
}

#[test]
fn what_is_not_supported_is_refused_when_compiled() {
    refused(&[
        ("authorizer.group('apps').resource('deployments').check('create').allowed()", "`authorizer` is not supported"),
        (
            "timestamp('2024-01-01T00:00:00Z') > timestamp('2023-01-01T00:00:00Z')",
            "function `timestamp()` is not supported",
        ),
        ("duration('1h') > duration('1m')", "function `duration()` is not supported"),
        ("'a'.format(['b'])", "function `.format()` is not supported"),
        ("lists.range(3).size() == 3", "function `lists.range()` is not supported"),
        ("unknownThing == 1", "undeclared reference to `unknownThing`"),
        ("params.x == 1", "`params` is used, but the policy has no `paramKind`"),
        ("google.protobuf.Int64Value{value: 1} == 1", "message literals"),
        ("1 +", "syntax error"),
    ]);
}

#[test]
fn hostile_patterns_are_refused_or_bounded() {
    for pattern in ["((a{1000}){1000}){1000}", "(((((((((((((((((((((a)))))))))))))))))))))*", "a{4294967295}"] {
        let text = format!("'aaaa'.matches('{pattern}')");
        // Compiled when the policy loads: a pattern the engine cannot build is refused there.
        let outcome = compile(&text, &Declared::default()).map(|_| ()).map_err(|error| error.message);
        if let Err(message) = &outcome {
            assert!(message.contains("invalid regular expression") || message.contains("longer than"), "{message}");
        }
    }
}
