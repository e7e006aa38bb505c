"""Export a cell to the NEURON simulator: temperature and ion concentrations.

:func:`to_neuron` writes a Python snippet (or configures a live ``neuron.h``) that sets
``h.celsius``, registers every ion of the cell that NEURON does not know, sets the global
initial concentrations ``<ion>i0_<ion>_ion`` / ``<ion>o0_<ion>_ion`` and, for a section,
``ion_style`` so that NEURON computes each reversal potential from the concentrations by the
Nernst equation at initialisation (e_style 2, einit 1) while the concentrations stay fixed
(c_style 1): exactly the assumptions of a :class:`nernst.Cell`. NEURON then reproduces the
cell's Nernst potentials (nernst and NEURON 9 both use the CODATA 2018 R and F).

References
----------
.. [1] Hines M.L., Carnevale N.T. The NEURON simulator: ``ion_style`` and ``ion_register``
   (nrn documentation, "Ions"; programmer's reference).
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["neuron_ion_name", "to_neuroml", "to_neuron"]

#: NEURON's own names for common ions.
_NEURON_NAMES = {"Na+": "na", "K+": "k", "Ca2+": "ca", "Cl-": "cl"}


def neuron_ion_name(ion: str) -> str:
    """The NEURON name of an ion: "Na+" -> "na", "Ca2+" -> "ca", "HCO3-" -> "hco3".

    Examples
    --------
    >>> neuron_ion_name("K+"), neuron_ion_name("Mg2+"), neuron_ion_name("HCO3-")
    ('k', 'mg', 'hco3')
    """
    import nernst

    symbol = nernst.ions[ion].symbol
    if symbol in _NEURON_NAMES:
        return _NEURON_NAMES[symbol]
    z = abs(nernst.ions[ion].charge)
    base = symbol.rstrip("+-")
    if z > 1 and base.endswith(str(z)):  # "Ca2+", "SO4 2-": the digits are the charge
        base = base[: -len(str(z))]
    name = re.sub(r"[^a-z0-9]", "", base.lower())
    if not name or not name[0].isalpha():
        raise ValueError(f"ion {ion!r} has no usable NEURON name (got {name!r})")
    return name


def _sides(cell: Any) -> tuple[dict[str, float], dict[str, float]]:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        c_in = cell.c_in
        c_out = cell.c_out
    return dict(c_in), dict(c_out)


def to_neuron(cell: Any, /, *, h: Any = None, sec: Any = None, section_name: str = "soma") -> str:
    """NEURON set-up for a cell's temperature and fixed ion concentrations.

    Parameters
    ----------
    cell : nernst.Cell or str
        The cell, or a preset name.
    h : neuron.h, optional
        A live NEURON ``h``: the set-up is applied to it (and still returned as text).
    sec : neuron section, optional
        With ``h``: the section whose ``ion_style`` is set (ions must be used by a
        mechanism in it, or are inserted with ``<ion>_ion``).
    section_name : str, default "soma"
        Name of the section in the returned snippet.

    Returns
    -------
    snippet : str
        Python code that does the same, for a script.

    Examples
    --------
    >>> print(to_neuron("mammalian-neuron").splitlines()[1])
    h.celsius = 37.0
    """
    import nernst

    if isinstance(cell, str):
        cell = nernst.Cell.preset(cell)
    c_in, c_out = _sides(cell)
    ions = [k for k in c_in if k in c_out]
    lines = ["from neuron import h", f"h.celsius = {float(cell.celsius)!r}"]
    for ion in ions:
        name = neuron_ion_name(ion)
        z = nernst.ions[ion].charge
        lines.append(f"h.ion_register({name!r}, {z})")
        lines.append(f"h.{name}i0_{name}_ion = {float(c_in[ion])!r}  # {ion} inside [mM]")
        lines.append(f"h.{name}o0_{name}_ion = {float(c_out[ion])!r}  # {ion} outside [mM]")
    lines.append(f"{section_name} = h.Section(name={section_name!r})")
    for ion in ions:
        name = neuron_ion_name(ion)
        lines.append(f"{section_name}.insert({name + '_ion'!r})")
        lines.append(
            f"h.ion_style({name + '_ion'!r}, 1, 2, 1, 0, 1, sec={section_name})"
            "  # fixed concentrations, E by Nernst at finitialize"
        )
    snippet = "\n".join(lines) + "\n"
    if h is not None:
        h.celsius = float(cell.celsius)
        for ion in ions:
            name = neuron_ion_name(ion)
            h.ion_register(name, nernst.ions[ion].charge)
            setattr(h, f"{name}i0_{name}_ion", float(c_in[ion]))
            setattr(h, f"{name}o0_{name}_ion", float(c_out[ion]))
        if sec is not None:
            for ion in ions:
                name = neuron_ion_name(ion)
                sec.insert(f"{name}_ion")
                h.ion_style(f"{name}_ion", 1, 2, 1, 0, 1, sec=sec)
    return snippet


def to_neuroml(
    cell: Any,
    /,
    path: str | Any | None = None,
    *,
    cell_id: str | None = None,
    radius: float = 10.0,
) -> Any:
    """A NeuroML 2 document of a cell's temperature, ion concentrations and resting potential.

    One spherical compartment of ``radius`` (um) with 1 uF/cm^2 and, for each ion on both
    sides, a ``<species>`` with the inside and outside concentrations (mM) and a
    ``decayingPoolConcentrationModel`` resting at the inside value (no membrane current
    changes it, so it stays there, as in a :class:`nernst.Cell`); the cell's GHK resting
    potential is its ``initMembPotential`` and a ``networkWithTemperature`` carries the
    temperature. Needs ``libNeuroML`` (``pip install libNeuroML``).

    Parameters
    ----------
    cell : nernst.Cell or str
        The cell, or a preset name.
    path : str or path-like, optional
        Where to write the ``.nml`` file (validated against the NeuroML 2 schema on writing).
    cell_id : str, optional
        NeuroML id of the cell; default the preset name or "cell".
    radius : float, default 10.0
        Radius of the spherical compartment. [um]

    Returns
    -------
    neuroml.NeuroMLDocument

    Examples
    --------
    >>> doc = to_neuroml("squid-axon")
    >>> doc.networks[0].temperature
    '20.0 degC'
    """
    try:
        import neuroml
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError("to_neuroml needs libNeuroML: pip install libNeuroML") from None
    import nernst

    if isinstance(cell, str):
        cell = nernst.Cell.preset(cell)
    c_in, c_out = _sides(cell)
    ident = re.sub(r"[^A-Za-z0-9_]", "_", cell_id or getattr(cell, "name", None) or "cell")
    if not ident[0].isalpha():
        ident = "cell_" + ident
    species, pools = [], []
    for ion in (k for k in c_in if k in c_out):
        name = neuron_ion_name(ion)
        pools.append(
            neuroml.DecayingPoolConcentrationModel(
                id=f"{name}_pool",
                ion=name,
                resting_conc=f"{float(c_in[ion])!r} mM",
                decay_constant="1e9 ms",
                shell_thickness="1 um",
            )
        )
        species.append(
            neuroml.Species(
                id=name,
                ion=name,
                concentration_model=f"{name}_pool",
                initial_concentration=f"{float(c_in[ion])!r} mM",
                initial_ext_concentration=f"{float(c_out[ion])!r} mM",
            )
        )
    v_rest = float(cell.resting_potential()) if cell.permeability else -65.0
    soma = neuroml.Segment(
        id=0,
        name="soma",
        proximal=neuroml.Point3DWithDiam(x=0, y=0, z=0, diameter=2 * radius),
        distal=neuroml.Point3DWithDiam(x=0, y=0, z=0, diameter=2 * radius),
    )
    nml_cell = neuroml.Cell(
        id=ident,
        morphology=neuroml.Morphology(id=f"{ident}_morphology", segments=[soma]),
        biophysical_properties=neuroml.BiophysicalProperties(
            id=f"{ident}_biophysics",
            membrane_properties=neuroml.MembraneProperties(
                specific_capacitances=[neuroml.SpecificCapacitance(value="1.0 uF_per_cm2")],
                init_memb_potentials=[neuroml.InitMembPotential(value=f"{v_rest!r} mV")],
                # NeuroML requires a spike threshold; the cell has no excitability here.
                spike_threshes=[neuroml.SpikeThresh(value="0 mV")],
            ),
            intracellular_properties=neuroml.IntracellularProperties(
                species=species,
                resistivities=[neuroml.Resistivity(value="100 ohm_cm")],
            ),
        ),
    )
    network = neuroml.Network(
        id=f"{ident}_network",
        type="networkWithTemperature",
        temperature=f"{float(cell.celsius)!r} degC",
        populations=[neuroml.Population(id=f"{ident}_pop", component=ident, size=1)],
    )
    doc = neuroml.NeuroMLDocument(
        id=ident,
        cells=[nml_cell],
        decaying_pool_concentration_models=pools,
        networks=[network],
    )
    if path is not None:
        from neuroml.writers import NeuroMLWriter

        NeuroMLWriter.write(doc, str(path))
    return doc
