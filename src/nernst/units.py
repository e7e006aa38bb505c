"""pint Quantities at the edge of the API.

Every public physics function of :mod:`nernst` (and :class:`~nernst.Cell`) accepts pint
Quantities for any argument, in any compatible unit, and then returns a Quantity. Plain
numbers keep their documented meaning (mV, mM, degC, cm/s, uF/cm^2, J/mol) and plain results:
the float/array core is the API, this layer only converts.

- A Quantity is converted to the unit the argument documents (:data:`nernst._api.ARGUMENT_UNITS`)
  and its magnitude is passed on; a Quantity wrapping an array gives an array.
- Mappings of ion -> Quantity (``c_in={"K+": Q_(140, "mM")}``) are converted value by value.
- Temperatures are converted with their offset (310.15 K and 98.6 degF are 37 degC); a
  temperature *difference* (``delta_degC``) where a temperature is expected is an error.
- Wrong dimensions raise a ValueError naming the argument, the given value and unit and the
  expected kind of quantity.
- The result is a Quantity in the function's documented unit (mV, J/mol, mA/cm^2 ...), made by
  the unit registry of the first Quantity argument. Results that are not numbers with a unit
  (signs, booleans, verdicts, result objects) are returned as they are.

pint is never imported by nernst: a Quantity is recognised by the module of its type, so plain
calls pay a type check per argument and nothing else (``benchmarks/units.py`` measures it).

>>> import pint
>>> import nernst
>>> ureg = pint.UnitRegistry()
>>> Q_ = ureg.Quantity
>>> E = nernst.equilibrium_potential("K+", c_in=Q_(140, "mM"), c_out=Q_(5000, "uM"),
...                                  celsius=Q_(310.15, "K"))
>>> print(f"{E:.1f~P}")
-89.1 mV
>>> print(f"{E.to('V'):.4f~P}")
-0.0891 V
>>> nernst.equilibrium_potential("K+", c_in=Q_(140, "mV"), c_out=5)
Traceback (most recent call last):
...
ValueError: c_in=140 mV: expected a concentration (mM, uM, mol/L, mol/m^3 ...)
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import numpy as np

from nernst._api import API, ARGUMENT_UNITS, Units, UnitSpec
from nernst._validate import QuantityInputError, is_quantity

__all__ = [
    "QuantityInputError",
    "accepts_quantities",
    "is_quantity",
    "magnitudes",
    "quantity_aware",
]

F = TypeVar("F", bound=Callable[..., Any])
C = TypeVar("C", bound=type)

#: Types that are never Quantities nor hold them: the fast path skips them with one set lookup.
_PLAIN_TYPES: frozenset[type] = frozenset(
    {
        float,
        int,
        str,
        bool,
        type(None),
        complex,
        np.ndarray,
        np.float64,
        np.float32,
        np.int64,
        np.int32,
        np.bool_,
    }
)

#: How an error message names the expected kind of quantity, by target unit.
_KINDS: dict[UnitSpec, str] = {
    "mV": "a potential (mV, V, uV ...)",
    "mM": "a concentration (mM, uM, mol/L, mol/m^3 ...)",
    "mol/L": "a concentration (mol/L, mM, uM ...)",
    "mol/kg": "a molality (mol/kg, mmol/kg ...)",
    "degC": "a temperature (degC, K, degF)",
    "cm/s": "a permeability (cm/s, m/s ...)",
    ("cm/s", ""): "a permeability (cm/s, m/s ...) or a relative, dimensionless permeability",
    "uF/cm^2": "a specific capacitance (uF/cm^2, F/m^2 ...)",
    "mA/cm^2": "a current density (mA/cm^2, uA/cm^2, A/m^2 ...)",
    "uA/cm^2": "a current density (uA/cm^2, mA/cm^2, A/m^2 ...)",
    "J/mol": "a molar energy (J/mol, kJ/mol, kcal/mol ...)",
    "nm": "a length (nm, angstrom ...)",
    "um": "a length (um, m ...)",
    "um^2": "an area (um^2, cm^2 ...)",
    "um^3": "a volume (um^3, fL, pL ...)",
    "s": "a time (s, ms ...)",
    "": "a dimensionless number",
    "J/(mol*K)": "a molar gas constant (J/(mol K))",
    "C/mol": "a molar charge (C/mol)",
}


def _carries_quantity(value: Any) -> bool:
    """A Quantity, a mapping with a Quantity value or a list/tuple starting with one."""
    kind = type(value)
    if kind in _PLAIN_TYPES:
        return False
    if kind is dict:
        values = value.values()
        return not _PLAIN_TYPES.issuperset(map(type, values)) and any(map(is_quantity, values))
    if kind is list or kind is tuple:
        return bool(value) and is_quantity(value[0])
    if is_quantity(value):
        return True
    if isinstance(value, Mapping):
        return any(map(is_quantity, value.values()))
    return False


def _describe(quantity: Any) -> str:
    try:
        return f"{quantity:~P}"
    except (TypeError, ValueError, KeyError):  # pragma: no cover - exotic units
        return str(quantity)


@functools.lru_cache(maxsize=256)
def _parsed_unit(registry: Any, unit: str) -> Any:
    """``unit`` parsed once per registry (pint's parser dominates a conversion otherwise)."""
    return registry.Unit(unit)


def _magnitude(quantity: Any, unit: UnitSpec, label: str) -> Any:
    """The magnitude of ``quantity`` in ``unit`` (one of the units when a tuple)."""
    units = unit if isinstance(unit, tuple) else (unit,)
    expected = _KINDS.get(unit, f"a quantity in {unit}")
    registry = quantity._REGISTRY
    for target in units:
        parsed = _parsed_unit(registry, target)
        if quantity.dimensionality != parsed.dimensionality:
            continue
        if target == "degC":
            if any(name.startswith("delta_") for name in quantity._units):
                raise ValueError(
                    f"{label}={_describe(quantity)} is a temperature difference: expected "
                    f"{expected} (write Q_(37, 'degC') or Q_(310.15, 'K'))"
                )
        return quantity.m_as(parsed)
    raise ValueError(f"{label}={_describe(quantity)}: expected {expected}")


def magnitudes(value: Any, unit: UnitSpec, *, name: str) -> Any:
    """``value`` with every Quantity in it replaced by its magnitude in ``unit``.

    Parameters
    ----------
    value : Quantity, mapping, list, tuple or anything else
        A Quantity; a mapping (ion -> value) or a list/tuple whose Quantities are converted
        element by element; anything else is returned unchanged (a plain number already
        means ``unit``).
    unit : str or tuple of str
        Target pint unit ("mM", "mV", "degC", "" for dimensionless); a tuple accepts
        alternatives, the first compatible one is used.
    name : str
        Argument name for error messages.

    Returns
    -------
    value
        The same structure with plain numbers.

    Raises
    ------
    ValueError
        A Quantity of the wrong dimension (the message names the argument, the given value
        with its unit and the expected kind of quantity), or a temperature difference given
        as a temperature.

    Examples
    --------
    >>> import pint
    >>> Q_ = pint.UnitRegistry().Quantity
    >>> magnitudes({"K+": Q_(140, "mM"), "Na+": Q_(0.01, "mol/L"), "Cl-": 4}, "mM", name="c_in")
    {'K+': 140, 'Na+': 10.0, 'Cl-': 4}
    """
    if is_quantity(value):
        return _magnitude(value, unit, name)
    if isinstance(value, Mapping):
        return {
            key: _magnitude(v, unit, f"{name}[{key!r}]") if is_quantity(v) else v
            for key, v in value.items()
        }
    if type(value) in (list, tuple):
        return type(value)(
            _magnitude(v, unit, f"{name}[{i}]") if is_quantity(v) else v
            for i, v in enumerate(value)
        )
    return value


def _first_quantity(values: Any) -> Any:
    for value in values:
        if is_quantity(value):
            return value
        if isinstance(value, Mapping):
            found = _first_quantity(value.values())
        elif type(value) in (list, tuple):
            found = _first_quantity(value)
        else:
            continue
        if found is not None:
            return found
    return None


@functools.cache
def _positional_names(func: Callable[..., Any], skip: int) -> tuple[str, ...]:
    """Names of ``func``'s positional parameters (after the first ``skip``, e.g. ``self``)."""
    params = list(inspect.signature(func).parameters.values())[skip:]
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return tuple(p.name for p in params if p.kind in positional)


def _unit_of(spec: Units, name: str) -> UnitSpec | None:
    if name in spec.args:
        return spec.args[name]
    return ARGUMENT_UNITS.get(name)


def _no_units(label: str, value: Any, public: str) -> ValueError:
    shown = _first_quantity([value])
    return ValueError(
        f"{label}={_describe(shown)}: {public}() takes no units for {label} (give a plain value)"
    )


def _convert_arguments(
    func: Callable[..., Any],
    spec: Units,
    public: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    skip: int = 0,
) -> tuple[list[Any], dict[str, Any]]:
    """Arguments with their Quantities converted to the units the function documents."""
    names = _positional_names(func, skip)
    new_args = list(args)
    for i, value in enumerate(args):
        if not _carries_quantity(value):
            continue
        name = names[i] if i < len(names) else None
        if (name is None or _unit_of(spec, name) is None) and i < len(spec.legacy_positional):
            name = spec.legacy_positional[i]
        unit = None if name is None else _unit_of(spec, name)
        if unit is None:
            raise _no_units(name or f"argument {i + 1}", value, public)
        new_args[i] = magnitudes(value, unit, name=name)  # type: ignore[arg-type]
    new_kwargs = dict(kwargs)
    for name, value in kwargs.items():
        if not _carries_quantity(value):
            continue
        unit = _unit_of(spec, name)
        if unit is None:
            raise _no_units(name, value, public)
        new_kwargs[name] = magnitudes(value, unit, name=name)
    return new_args, new_kwargs


def _with_unit(result: Any, unit: Any, quantity: Callable[..., Any]) -> Any:
    if isinstance(unit, tuple):
        return tuple(_with_unit(r, u, quantity) for r, u in zip(result, unit, strict=True))
    if isinstance(result, Mapping):
        return {key: quantity(value, unit) for key, value in result.items()}
    return quantity(result, unit)


def _call_with_units(
    func: Callable[..., Any], spec: Units, public: str, args: tuple[Any, ...], kwargs: Any
) -> Any:
    first = _first_quantity([*args, *kwargs.values()])
    new_args, new_kwargs = _convert_arguments(func, spec, public, args, kwargs)
    result = func(*new_args, **new_kwargs)
    unit = spec.returns
    if unit is None:
        return result
    if callable(unit):
        unit = unit(new_kwargs)
    registry = first._REGISTRY

    def quantity(value: Any, unit: str) -> Any:
        return registry.Quantity(value, _parsed_unit(registry, unit))

    return _with_unit(result, unit, quantity)


def quantity_aware(func: F, spec: Units, *, name: str | None = None) -> F:
    """``func`` accepting pint Quantities and then returning Quantities.

    The wrapper keeps the signature (``inspect.signature`` follows ``__wrapped__``) and the
    docstring; it is registered as ``nernst.<name>`` so it pickles by reference. Calls
    without a Quantity go straight to ``func`` after one type check per argument: the wrapper
    is generated with ``func``'s own parameters (names and defaults), so nothing is packed
    into ``*args``/``**kwargs`` on the way.

    Parameters
    ----------
    func : callable
        A physics function whose arguments are in the package's units.
    spec : Units
        Its units specification (:data:`nernst._api.API`).
    name : str, optional
        Public name (default ``func.__name__``).

    Returns
    -------
    callable
        The wrapper.

    Examples
    --------
    >>> import pint
    >>> from nernst._api import Units
    >>> from nernst.constants import thermal_voltage
    >>> vt = quantity_aware(thermal_voltage, Units("mV"))
    >>> round(vt(celsius=37), 3)
    26.727
    >>> print(f"{vt(celsius=pint.UnitRegistry().Quantity(98.6, 'degF')):.3f~P}")
    26.727 mV
    """
    public = name or func.__name__
    plain = _PLAIN_TYPES

    def dispatch(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        if any(map(_carries_quantity, args)) or any(map(_carries_quantity, kwargs.values())):
            return _call_with_units(func, spec, public, args, kwargs)
        return func(*args, **kwargs)

    wrapper = _exact_wrapper(func, dispatch, spec.mappings_screened)
    if wrapper is None:

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            # Fast path: every argument of a plain type (one C-level pass over each).
            if plain.issuperset(map(type, kwargs.values())) and plain.issuperset(map(type, args)):
                return func(*args, **kwargs)
            return dispatch(args, kwargs)

    functools.update_wrapper(wrapper, func)
    wrapper.__module__ = "nernst"
    wrapper.__qualname__ = public
    wrapper.__units__ = spec  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def _exact_wrapper(
    func: Callable[..., Any],
    dispatch: Callable[[tuple[Any, ...], dict[str, Any]], Any],
    screened: tuple[str, ...] = (),
) -> Callable[..., Any] | None:
    """A wrapper with ``func``'s own parameters, so a plain call is checked and forwarded
    without packing ``*args``/``**kwargs`` (about 4x less overhead, ``benchmarks/units.py``).

    A dict passed for a parameter in ``screened`` goes to ``func`` without a look at its
    values: ``func`` raises :class:`~nernst.units.QuantityInputError` on a Quantity among
    them, and the wrapper then converts (a value scan costs about 0.1 us per entry).

    None when ``func`` itself takes ``*args``/``**kwargs`` (deprecation shims that accept old
    spellings): the generic wrapper forwards those unchanged.
    """
    try:
        params = list(inspect.signature(func, follow_wrapped=False).parameters.values())
    except (TypeError, ValueError):  # pragma: no cover - builtins without a signature
        return None
    kinds = inspect.Parameter
    if any(p.kind in (kinds.VAR_POSITIONAL, kinds.VAR_KEYWORD) for p in params):
        return None
    namespace: dict[str, Any] = {
        "_nernst_func": func,
        "_nernst_dispatch": dispatch,
        "_nernst_plain": _PLAIN_TYPES,
        "_nernst_quantity_error": QuantityInputError,
    }
    signature, positional, keywords = [], [], []
    previous = None
    for p in params:
        if previous is kinds.POSITIONAL_ONLY and p.kind is not kinds.POSITIONAL_ONLY:
            signature.append("/")
        if p.kind is kinds.KEYWORD_ONLY and previous is not kinds.KEYWORD_ONLY:
            signature.append("*")
        default = ""
        if p.default is not p.empty:
            namespace[f"_nernst_default_{p.name}"] = p.default
            default = f"=_nernst_default_{p.name}"
        signature.append(p.name + default)
        if p.kind is kinds.KEYWORD_ONLY:
            keywords.append(p.name)
        else:
            positional.append(p.name)
        previous = p.kind
    if previous is kinds.POSITIONAL_ONLY:
        signature.append("/")
    unknown = set(screened) - {p.name for p in params}
    if unknown:  # pragma: no cover - a table error
        raise ValueError(f"mappings_screened names no parameter of {func.__name__}: {unknown}")
    check = (
        " and ".join(
            f"(type({p.name}) in _nernst_plain or type({p.name}) is dict)"
            if p.name in screened
            else f"(type({p.name}) in _nernst_plain or (type({p.name}) is dict and "
            f"_nernst_plain.issuperset(map(type, {p.name}.values()))))"
            for p in params
        )
        or "True"
    )
    call = ", ".join([*positional, *(f"{k}={k}" for k in keywords)])
    args = "".join(f"{n}, " for n in positional)
    kwargs = ", ".join(f"{k!r}: {k}" for k in keywords)
    forward = (
        (
            "        try:\n"
            f"            return _nernst_func({call})\n"
            "        except _nernst_quantity_error:\n"
            "            pass\n"
        )
        if screened
        else f"        return _nernst_func({call})\n"
    )
    source = (
        f"def _nernst_wrapper({', '.join(signature)}):\n"
        f"    if {check}:\n"
        f"{forward}"
        f"    return _nernst_dispatch(({args}), {{{kwargs}}})\n"
    )
    # The signature is func's own (names and defaults only); the name shows in tracebacks.
    exec(compile(source, f"<nernst.units wrapper of {func.__name__}>", "exec"), namespace)
    wrapper: Callable[..., Any] = namespace["_nernst_wrapper"]
    return wrapper


def accepts_quantities(cls: C) -> C:
    """Class decorator: the constructor of ``cls`` accepts pint Quantities.

    The class is changed in place (``nernst.Cell is nernst.cell.Cell`` stays true, and so
    does every ``isinstance`` check); its units specification is the entry of its name in
    :data:`nernst._api.API`. Attributes stay plain numbers in the package's units.

    Parameters
    ----------
    cls : type
        A class listed in :data:`nernst._api.API` with a :class:`~nernst._api.Units` entry.

    Returns
    -------
    type
        ``cls`` itself, its ``__init__`` wrapped (signature and docstring kept).

    Examples
    --------
    >>> import pint
    >>> import nernst
    >>> Q_ = pint.UnitRegistry().Quantity
    >>> cell = nernst.Cell(c_in={"K+": Q_(0.14, "mol/L")}, c_out={"K+": Q_(5, "mM")},
    ...                    permeability={"K+": Q_(1e-6, "cm/s")}, celsius=Q_(310.15, "K"))
    >>> cell.c_in, round(cell.celsius, 9)
    ({'K+': 140.0}, 37.0)
    """
    spec = API[cls.__name__][1]
    if not isinstance(spec, Units):  # pragma: no cover - a table error
        raise TypeError(f"{cls.__name__} has no units specification in nernst._api.API")
    init: Callable[..., None] = cls.__init__  # type: ignore[misc]
    public = cls.__name__
    plain = _PLAIN_TYPES

    @functools.wraps(init)
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        if not (
            plain.issuperset(map(type, kwargs.values())) and plain.issuperset(map(type, args))
        ) and (any(map(_carries_quantity, args)) or any(map(_carries_quantity, kwargs.values()))):
            new_args, new_kwargs = _convert_arguments(init, spec, public, args, kwargs, 1)
            init(self, *new_args, **new_kwargs)
            return
        init(self, *args, **kwargs)

    cls.__init__ = __init__  # type: ignore[misc]
    return cls
