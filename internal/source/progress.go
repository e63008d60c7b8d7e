package source

// progress reports how far loading has come to Options.Progress, if set.
func (o *Options) progress(what string, done, total int) {
	if o.Progress != nil {
		o.Progress(what, done, total)
	}
}
